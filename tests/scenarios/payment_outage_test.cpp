#include <doctest/doctest.h>

#include <thread>

#include "scenarios/scenario_helpers.hpp"

using namespace shop::testing;

TEST_CASE("scenario 5, reject: 503, the breaker opens and spares the provider, then closes") {
  AppOptions options;
  options.breaker_failures = 3;
  options.breaker_open = std::chrono::minutes(1);  // ends only when the test skips it
  App app(options);
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 100);
  auto client = app.client();
  app.provider.down = true;
  for (int i = 0; i < 3; ++i) {
    auto refused = place(client, kim, App::order_body(tea, 1), "down-" + std::to_string(i));
    CHECK(refused.status == 503);
    CHECK_FALSE(refused.header("Retry-After").empty());
  }
  CHECK(app.breaker.state() == shop::payment::CircuitState::open);
  int calls = app.provider.calls;
  for (int i = 0; i < 5; ++i) {
    CHECK(place(client, kim, App::order_body(tea, 1), "open-" + std::to_string(i)).status == 503);
  }
  CHECK(app.provider.calls == calls);  // nothing reached the provider while open
  CHECK(client.get("/api/v1/stock/" + tea).json().at("reserved").as_int64() == 0);

  app.provider.down = false;
  app.steady.skip(options.breaker_open);
  CHECK(place(client, kim, App::order_body(tea, 1), "after").status == 201);
  CHECK(app.breaker.state() == shop::payment::CircuitState::closed);
}

TEST_CASE("scenario 5, defer: 202 PAYMENT_PENDING, then PAID and a delivery once it recovers") {
  AppOptions options;
  options.when_unavailable = shop::order::PaymentUnavailablePolicy::defer;
  options.breaker_failures = 100;
  App app(options);
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  app.provider.down = true;
  auto pending = place(client, kim, App::order_body(tea, 2), "deferred");
  REQUIRE(pending.status == 202);
  auto id = text(pending.json(), "id");
  CHECK(text(pending.json(), "status") == "PAYMENT_PENDING");
  CHECK(client.get("/api/v1/stock/" + tea).json().at("reserved").as_int64() == 2);

  app.provider.down = false;
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // past the retry backoff
  app.orders->recover();
  CHECK(text(client.get("/api/v1/orders/" + id, kim).json(), "status") == "PAID");
  app.settle();
  CHECK(text(delivery_of(client, staff, id), "status") == "REQUESTED");
  CHECK(client.get("/api/v1/stock/" + tea).json().at("on_hand").as_int64() == 8);
}
