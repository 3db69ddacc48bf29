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

namespace {

// The storefront's row of `product_id` (on the first page: the test has few).
boost::json::object storefront_row(HttpClient& client, const std::string& product_id) {
  auto page = client.get("/api/v1/dashboard/products?limit=100").json();
  for (const auto& item : page.at("items").as_array()) {
    if (item.at("id").as_string() == product_id) return item.as_object();
  }
  FAIL("product " << product_id << " is not on the storefront");
  return {};
}

void check_level(HttpClient& client, const std::string& product_id, std::int64_t on_hand,
                 std::int64_t reserved) {
  auto row = storefront_row(client, product_id);
  CHECK(row.at("on_hand").as_int64() == on_hand);
  CHECK(row.at("reserved").as_int64() == reserved);
  CHECK(row.at("available").as_int64() == on_hand - reserved);
}

}  // namespace

TEST_CASE("the storefront follows an order, its sale and its cancellation with a return") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto cake = app.create_product("CAKE", 3);
  auto client = app.client();
  app.settle();
  check_level(client, tea, 10, 0);
  check_level(client, cake, 3, 0);
  CHECK(text(storefront_row(client, tea), "name") == "Product TEA");

  // Paid at once: reserved, then sold.
  auto order = text(place(client, kim, App::order_body(tea, 4), "k1").json(), "id");
  app.settle();
  check_level(client, tea, 6, 0);
  // A declined payment: reserved, then released.
  REQUIRE(place(client, kim, App::order_body(tea, 2, "tok_decline"), "k2").status == 402);
  app.settle();
  check_level(client, tea, 6, 0);

  auto summary = client.get("/api/v1/dashboard/summary", staff);
  REQUIRE(summary.status == 200);
  auto body = summary.json();
  CHECK(body.at("deliveries_by_status").at("REQUESTED").as_int64() == 1);
  // CAKE (3 <= 5) is low; TEA (6) is not.
  auto low = body.at("low_stock").as_array();
  REQUIRE(low.size() == 1);
  CHECK(low[0].at("product_id").as_string() == cake);
  CHECK(client.get("/api/v1/dashboard/summary", kim).status == 403);
  auto lag = client.get("/api/v1/dashboard/projection-lag", staff);
  REQUIRE(lag.status == 200);
  CHECK(lag.json().at("events").as_int64() > 0);
  CHECK(lag.json().at("p99_ms").as_int64() <= lag.json().at("max_ms").as_int64());
  CHECK(client.get("/api/v1/dashboard/projection-lag", kim).status == 403);

  // Cancelled after payment: the units return to on_hand.
  REQUIRE(client.post("/api/v1/orders/" + order + "/cancel", "", kim).status == 200);
  app.settle();
  check_level(client, tea, 10, 0);
  CHECK(client.get("/api/v1/dashboard/summary", staff).json().at("deliveries_by_status")
            .at("CANCELLED").as_int64() == 1);

  // A deleted product leaves the storefront.
  app.catalog->remove(cake, shop::catalog::Product::any_version);
  app.settle();
  auto page = client.get("/api/v1/dashboard/products").json();
  REQUIRE(page.at("items").as_array().size() == 1);
  CHECK(page.at("items").as_array()[0].at("id").as_string() == tea);

  // Replay rebuilds the storefront as it was.
  auto before = client.get("/api/v1/dashboard/products").body;
  CHECK(app.dashboard->replay({}) > 0);
  CHECK(client.get("/api/v1/dashboard/products").body == before);
}
