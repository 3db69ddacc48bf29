#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "scenarios/scenario_helpers.hpp"
#include "support/fake_provider.hpp"

using namespace shop::testing;
using namespace std::chrono_literals;

namespace {

// The http gateway, pointed at `provider`, behind the breaker.
AppOptions over_http(const FakeProvider& provider, std::chrono::milliseconds timeout) {
  AppOptions options;
  options.http_provider = shop::gateway::HttpGatewaySettings{provider.url(), "sk_test", timeout, 3};
  return options;
}

}  // namespace

TEST_CASE("scenario 5, reject over http: a charge whose answer was dropped is refunded") {
  FakeProvider provider;
  App app(over_http(provider, 2000ms));
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();

  provider.drop_after_charging(1);
  auto refused = place(client, kim, App::order_body(tea, 1), "dropped");
  CHECK(refused.status == 503);
  CHECK_FALSE(refused.header("Retry-After").empty());
  CHECK(client.get("/api/v1/stock/" + tea).json().at("reserved").as_int64() == 0);
  // The provider charged, but nobody heard it say so.
  auto charges = provider.charges();
  REQUIRE(charges.size() == 1);
  auto [key, charge] = *charges.begin();
  REQUIRE(key.ends_with(":charge"));
  std::string order_id = key.substr(0, key.size() - std::string(":charge").size());
  CHECK(charge.status == "approved");

  // Reconciliation asks again with the same key, learns of the charge, and
  // refunds it: the order gave it up.
  app.drain_relay();
  CHECK(provider.refunds_of(charge.reference).empty());
  app.settle();
  auto refunds = provider.refunds_of(charge.reference);
  REQUIRE(refunds.size() == 1);
  CHECK(refunds[0].amount == charge.amount);
  auto payments = client.get("/api/v1/payments?order_id=" + order_id, staff).json().at("items");
  REQUIRE(payments.as_array().size() == 1);
  CHECK(text(payments.as_array()[0], "status") == "CANCELLED");
  CHECK(provider.charges().size() == 1);  // asked twice, charged once
}

TEST_CASE("scenario 5, reject over http: the breaker spares a provider that is down") {
  const auto timeout = 2000ms;
  FakeProvider provider;
  AppOptions options = over_http(provider, timeout);
  options.breaker_failures = 3;
  options.breaker_open = 1min;  // ends only when the test skips it
  App app(options);
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 100);
  auto client = app.client();

  provider.go_down();
  for (int i = 0; i < 3; ++i) {
    auto refused = place(client, kim, App::order_body(tea, 1), "down-" + std::to_string(i));
    CHECK(refused.status == 503);
    CHECK_FALSE(refused.header("Retry-After").empty());
  }
  REQUIRE(app.breaker.state() == shop::payment::CircuitState::open);

  // Back already, but the open circuit sends it nothing: refused without a
  // call (no timing here: a loaded machine makes any bound a coin toss).
  provider.come_back();
  for (int i = 0; i < 5; ++i) {
    auto refused = place(client, kim, App::order_body(tea, 1), "open-" + std::to_string(i));
    CHECK(refused.status == 503);
  }
  CHECK(provider.requests() == 0);
  CHECK(client.get("/api/v1/stock/" + tea).json().at("reserved").as_int64() == 0);

  app.steady.skip(options.breaker_open);
  auto paid = place(client, kim, App::order_body(tea, 1), "after");
  CHECK(paid.status == 201);
  CHECK(text(paid.json(), "status") == "PAID");
  CHECK(app.breaker.state() == shop::payment::CircuitState::closed);
  CHECK(provider.requests() == 1);
}
