#include <doctest/doctest.h>

#include "scenarios/scenario_helpers.hpp"

using namespace shop::testing;

namespace {

std::vector<std::string> timeline_of(HttpClient& client, const std::string& token,
                                     const std::string& order_id) {
  auto view = client.get("/api/v1/dashboard/orders/" + order_id, token).json();
  std::vector<std::string> events;
  for (const auto& entry : view.at("timeline").as_array()) events.push_back(text(entry, "event"));
  return events;
}

bool contains(const std::vector<std::string>& events, const std::string& event) {
  return std::find(events.begin(), events.end(), event) != events.end();
}

}  // namespace

TEST_CASE("the dashboard after the saga scenarios: timelines and the customer summary") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  auto kim_id = text(client.get("/api/v1/users/me", kim).json(), "id");

  // Delivered.
  auto delivered = text(place(client, kim, App::order_body(tea, 2), "k1").json(), "id");
  app.settle();
  auto delivery = text(delivery_of(client, staff, delivered), "id");
  for (const char* status : {"ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"}) {
    REQUIRE(advance(client, staff, delivery, status).status == 200);
  }
  // Cancelled with a refund.
  auto cancelled = text(place(client, kim, App::order_body(tea, 1), "k2").json(), "id");
  REQUIRE(client.post("/api/v1/orders/" + cancelled + "/cancel", "", kim).status == 200);
  // Declined.
  auto declined = place(client, kim, App::order_body(tea, 1, "tok_decline"), "k3");
  REQUIRE(declined.status == 402);
  app.settle();

  auto view = client.get("/api/v1/dashboard/orders/" + delivered, kim).json();
  CHECK(text(view, "status") == "DELIVERED");
  CHECK(text(view, "payment_status") == "APPROVED");
  CHECK(text(view, "delivery_status") == "DELIVERED");
  auto steps = timeline_of(client, kim, delivered);
  for (const char* step : {"order.placed", "payment.approved", "order.paid", "delivery.requested",
                           "order.in_delivery", "delivery.delivered", "order.delivered"}) {
    INFO(step);
    CHECK(contains(steps, step));
  }
  auto refunded = client.get("/api/v1/dashboard/orders/" + cancelled, kim).json();
  CHECK(text(refunded, "status") == "CANCELLED");
  CHECK(text(refunded, "payment_status") == "CANCELLED");
  CHECK(text(refunded, "delivery_status") == "CANCELLED");
  CHECK(contains(timeline_of(client, kim, cancelled), "payment.cancelled"));

  auto summary = client.get("/api/v1/dashboard/customers/" + kim_id, kim).json();
  CHECK(summary.at("orders_placed").as_int64() == 3);
  CHECK(summary.at("orders_active").as_int64() == 0);
  CHECK(summary.at("orders_delivered").as_int64() == 1);
  CHECK(summary.at("orders_cancelled").as_int64() == 1);
  CHECK(summary.at("amount_spent").at("amount").as_int64() == 3 * 4500);
  CHECK(summary.at("amount_refunded").at("amount").as_int64() == 4500);

  // Replaying the stored events rebuilds the same models.
  auto before = client.get("/api/v1/dashboard/orders/" + delivered, kim).body;
  CHECK(app.dashboard->replay([](std::int64_t, std::int64_t) {}) > 0);
  CHECK(client.get("/api/v1/dashboard/orders/" + delivered, kim).body == before);
  CHECK(client.get("/api/v1/dashboard/customers/" + kim_id, kim).json() == summary);
}
