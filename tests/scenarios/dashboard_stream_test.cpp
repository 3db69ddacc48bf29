#include <doctest/doctest.h>

#include "scenarios/scenario_helpers.hpp"
#include "support/sse_client.hpp"

using namespace shop::testing;

namespace {

auto is = [](const std::string& type, const std::string& order_id = "") {
  return [type, order_id](const SseFrame& frame) {
    return frame.event == type && (order_id.empty() || frame.data.find(order_id) != std::string::npos);
  };
};

bool any_of(const std::vector<SseFrame>& frames, const std::function<bool(const SseFrame&)>& test) {
  return std::any_of(frames.begin(), frames.end(), test);
}

}  // namespace

TEST_CASE("the dashboard stream: staff see everything, as it happens") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  app.settle();  // the product's events are history before the stream opens
  SseClient watcher(app.server->port(), staff);
  auto head = watcher.head();
  CHECK(head.starts_with("HTTP/1.1 200"));
  CHECK(head.find("text/event-stream") != std::string::npos);

  auto client = app.client();
  auto order = text(place(client, kim, App::order_body(tea, 1), "k1").json(), "id");
  auto frames = watcher.frames_until(is("shop.order.paid.v1", order), std::chrono::seconds(5));
  // A new stream starts with what happens next, not with the whole history.
  CHECK_FALSE(any_of(frames, is("shop.catalog.product_created.v1")));
  CHECK(any_of(frames, is("shop.order.placed.v1", order)));
  CHECK(any_of(frames, is("shop.order.paid.v1", order)));
  for (std::size_t i = 1; i < frames.size(); ++i) CHECK(frames[i].id > frames[i - 1].id);
}

TEST_CASE("the dashboard stream: a customer sees only their own orders") {
  App app;
  auto kim = app.customer_token("kim@x.kr");
  auto lee = app.customer_token("lee@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  auto lees = text(place(client, lee, App::order_body(tea, 1), "l1").json(), "id");
  auto kims = text(place(client, kim, App::order_body(tea, 1), "k1").json(), "id");
  app.settle();

  SseClient watcher(app.server->port(), kim, "0");  // from the beginning of the log
  watcher.head();
  auto frames = watcher.frames_until(is("shop.delivery.requested.v1", kims), std::chrono::seconds(5));
  CHECK(any_of(frames, is("shop.order.placed.v1", kims)));
  CHECK(any_of(frames, is("shop.payment.approved.v1", kims)));
  CHECK_FALSE(any_of(frames, is("shop.order.placed.v1", lees)));
  CHECK_FALSE(any_of(frames, is("shop.catalog.product_created.v1")));
  CHECK_FALSE(any_of(frames, is("shop.identity.user_registered.v1")));

  SseClient anonymous(app.server->port(), "");
  CHECK(anonymous.head().starts_with("HTTP/1.1 401"));
}

TEST_CASE("the dashboard stream: reconnecting with Last-Event-ID misses nothing") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  auto first = text(place(client, kim, App::order_body(tea, 1), "k1").json(), "id");
  app.settle();

  std::int64_t seen = 0;
  {
    SseClient watcher(app.server->port(), staff, "0");
    watcher.head();
    auto frames = watcher.frames_until(is("shop.order.placed.v1", first), std::chrono::seconds(5));
    REQUIRE_FALSE(frames.empty());
    seen = frames.back().id;
  }  // the client goes away here...
  auto second = text(place(client, kim, App::order_body(tea, 1), "k2").json(), "id");
  app.settle();

  // ...and resumes after the last event it saw: everything after, once.
  SseClient resumed(app.server->port(), staff, std::to_string(seen));
  resumed.head();
  auto frames = resumed.frames_until(is("shop.order.placed.v1", second), std::chrono::seconds(5));
  REQUIRE_FALSE(frames.empty());
  CHECK(frames.front().id == seen + 1);
  CHECK(any_of(frames, is("shop.order.paid.v1", first)));
  CHECK_FALSE(any_of(frames, is("shop.order.placed.v1", first)));
  CHECK(any_of(frames, is("shop.order.placed.v1", second)));

  SseClient bad(app.server->port(), staff, "yesterday");
  CHECK(bad.head().starts_with("HTTP/1.1 422"));
}

TEST_CASE("the dashboard stream: a few streams per viewer, no more") {
  App app;
  auto kim = app.customer_token("kim@x.kr");
  std::vector<std::unique_ptr<SseClient>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<SseClient>(app.server->port(), kim));
    CHECK(open.back()->head().starts_with("HTTP/1.1 200"));
  }
  SseClient fifth(app.server->port(), kim);
  auto refused = fifth.head();
  CHECK(refused.starts_with("HTTP/1.1 429"));
  CHECK(refused.find("Retry-After") != std::string::npos);
}
