#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "scenarios/scenario_helpers.hpp"

using namespace shop::testing;

TEST_CASE("scenario 6: cancel twice; and a cancel racing a dispatch, exactly one wins") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 1000);
  auto client = app.client();

  auto first = text(place(client, kim, App::order_body(tea, 1), "twice").json(), "id");
  CHECK(client.post("/api/v1/orders/" + first + "/cancel", "", kim).status == 200);
  auto again = client.post("/api/v1/orders/" + first + "/cancel", "", kim);
  CHECK(again.status == 409);
  CHECK(text(again.json(), "code") == "already_cancelled");

  for (int attempt = 0; attempt < 100; ++attempt) {
    auto id = text(place(client, kim, App::order_body(tea, 1), "race-" + std::to_string(attempt))
                       .json(),
                   "id");
    app.settle();
    auto delivery_id = text(delivery_of(client, staff, id), "id");
    advance(client, staff, delivery_id, "ACCEPTED");
    advance(client, staff, delivery_id, "PREPARING");
    int cancel_status = 0, dispatch_status = 0;
    std::thread canceller([&] {
      auto c = app.client();
      cancel_status = c.post("/api/v1/orders/" + id + "/cancel", "", kim).status;
    });
    std::thread dispatcher([&] {
      auto c = app.client();
      dispatch_status = advance(c, staff, delivery_id, "DISPATCHED").status;
    });
    canceller.join();
    dispatcher.join();
    INFO("attempt ", attempt, ": cancel ", cancel_status, ", dispatch ", dispatch_status);
    REQUIRE(((cancel_status == 200) != (dispatch_status == 200)));
    CHECK((cancel_status == 200 || cancel_status == 409));
    CHECK((dispatch_status == 200 || dispatch_status == 409));
    auto status = text(client.get("/api/v1/orders/" + id, kim).json(), "status");
    CHECK(status == (cancel_status == 200 ? "CANCELLED" : "IN_DELIVERY"));
  }
}

TEST_CASE("scenario 8: one Idempotency-Key sent 20 times at once makes one order") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 100);
  std::string body = App::order_body(tea, 2);
  std::vector<HttpReply> replies(20);
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      auto c = app.client();
      replies[i] = place(c, kim, body, "same-key");
    });
  }
  for (auto& thread : threads) thread.join();
  std::string created_body;
  for (const auto& reply : replies) {
    INFO(reply.status, " ", reply.body);
    CHECK((reply.status == 201 || reply.status == 409));
    if (reply.status == 409) CHECK(text(reply.json(), "code") == "request_in_progress");
    if (reply.status == 201) {
      if (created_body.empty()) created_body = reply.body;
      CHECK(reply.body == created_body);  // the stored replay, byte for byte
    }
  }
  CHECK_FALSE(created_body.empty());
  auto client = app.client();
  CHECK(client.get("/api/v1/orders", staff).json().at("items").as_array().size() == 1);
  CHECK(client.get("/api/v1/stock/" + tea).json().at("on_hand").as_int64() == 98);
  auto id = text(boost::json::parse(created_body), "id");
  CHECK(client.get("/api/v1/payments?order_id=" + id, kim).json().at("items").as_array().size() == 1);
  // The same key with another body is refused.
  CHECK(place(client, kim, App::order_body(tea, 3), "same-key").status == 422);
}

TEST_CASE("scenario 9: 100 customers order at once from a stock of 30") {
  App app;
  auto tea = app.create_product("TEA", 30);
  std::vector<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.push_back(app.customer_token("c" + std::to_string(i) + "@x.kr"));
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      auto c = app.client();
      int status = place(c, tokens[i], App::order_body(tea, 1), "k").status;
      (status == 201 ? created : status == 409 ? refused : other)++;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(created == 30);
  CHECK(refused == 70);
  CHECK(other == 0);
  auto level = app.client().get("/api/v1/stock/" + tea).json();
  CHECK(level.at("on_hand").as_int64() == 0);
  CHECK(level.at("reserved").as_int64() == 0);
}
