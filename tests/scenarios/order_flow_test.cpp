#include <doctest/doctest.h>

#include "scenarios/scenario_helpers.hpp"

using namespace shop::testing;

TEST_CASE("scenario 1, 2: a paid order, then cancelled: everything is compensated") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();

  auto placed = place(client, kim, App::order_body(tea, 3), "key-1");
  REQUIRE(placed.status == 201);
  auto order = placed.json();
  auto id = text(order, "id");
  CHECK(text(order, "status") == "PAID");
  CHECK(order.at("total").at("amount").as_int64() == 13500);
  CHECK(client.get("/api/v1/stock/" + tea).json().at("on_hand").as_int64() == 7);
  app.settle();
  CHECK(text(delivery_of(client, staff, id), "status") == "REQUESTED");
  auto payments = client.get("/api/v1/payments?order_id=" + id, kim).json().at("items");
  REQUIRE(payments.as_array().size() == 1);
  CHECK(text(payments.as_array()[0], "status") == "APPROVED");

  auto cancelled = client.post("/api/v1/orders/" + id + "/cancel", R"({"reason":"changed my mind"})", kim);
  REQUIRE(cancelled.status == 200);
  CHECK(text(cancelled.json(), "status") == "CANCELLED");
  app.settle();
  CHECK(text(client.get("/api/v1/payments?order_id=" + id, kim).json().at("items").as_array()[0],
             "status") == "CANCELLED");
  CHECK(text(delivery_of(client, staff, id), "status") == "CANCELLED");
  CHECK(client.get("/api/v1/stock/" + tea).json().at("on_hand").as_int64() == 10);
  CHECK(client.get("/api/v1/stock/" + tea).json().at("reserved").as_int64() == 0);
}

TEST_CASE("scenario 3: more than is available: 409 naming the line, nothing else") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 2);
  auto client = app.client();
  auto refused = place(client, kim, App::order_body(tea, 3), "key-1");
  REQUIRE(refused.status == 409);
  auto shortages = refused.json().at("shortages").as_array();
  REQUIRE(shortages.size() == 1);
  CHECK(text(shortages[0], "product_id") == tea);
  CHECK(shortages[0].at("available").as_int64() == 2);
  CHECK(client.get("/api/v1/stock/" + tea).json().at("reserved").as_int64() == 0);
  CHECK(client.get("/api/v1/orders", staff).json().at("items").as_array().empty());
  CHECK(app.provider.calls == 0);
  // Not stored: the same key may succeed once there is stock.
  app.stock->restock(tea, 5);
  CHECK(place(client, kim, App::order_body(tea, 3), "key-1").status == 201);
}

TEST_CASE("scenario 4: a declined card: 402, PAYMENT_DECLINED, reservation released") {
  App app;
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  auto declined = place(client, kim, App::order_body(tea, 2, "tok_decline"), "key-1");
  REQUIRE(declined.status == 402);
  CHECK(declined.content_type == "application/problem+json");
  CHECK(text(declined.json().at("order"), "status") == "PAYMENT_DECLINED");
  auto level = client.get("/api/v1/stock/" + tea).json();
  CHECK(level.at("reserved").as_int64() == 0);
  CHECK(level.at("on_hand").as_int64() == 10);
  // 402 is stored: the same key replays it byte for byte.
  auto replay = place(client, kim, App::order_body(tea, 2, "tok_decline"), "key-1");
  CHECK(replay.status == 402);
  CHECK(replay.body == declined.body);
}

TEST_CASE("scenario 7: the delivery runs to DELIVERED and so does the order") {
  App app;
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  auto id = text(place(client, kim, App::order_body(tea, 1), "key-1").json(), "id");
  app.settle();
  auto delivery_id = text(delivery_of(client, staff, id), "id");
  CHECK(advance(client, staff, delivery_id, "PREPARING").status == 409);  // no skipping
  CHECK(advance(client, kim, delivery_id, "ACCEPTED").status == 403);
  for (const char* status : {"ACCEPTED", "PREPARING", "DISPATCHED"}) {
    CHECK(advance(client, staff, delivery_id, status).status == 200);
  }
  CHECK(text(client.get("/api/v1/orders/" + id, kim).json(), "status") == "IN_DELIVERY");
  CHECK(client.post("/api/v1/orders/" + id + "/cancel", "", kim).status == 409);
  CHECK(advance(client, staff, delivery_id, "DELIVERED").status == 200);
  app.settle();
  CHECK(text(client.get("/api/v1/orders/" + id, kim).json(), "status") == "DELIVERED");
}

TEST_CASE("another customer's order, payments and delivery are 404 to them") {
  App app;
  auto kim = app.customer_token("kim@x.kr");
  auto lee = app.customer_token("lee@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();
  auto id = text(place(client, kim, App::order_body(tea, 1), "key-1").json(), "id");
  CHECK(client.get("/api/v1/orders/" + id, lee).status == 404);
  CHECK(client.post("/api/v1/orders/" + id + "/cancel", "", lee).status == 404);
  CHECK(client.get("/api/v1/payments?order_id=" + id, lee).status == 404);
  CHECK(client.get("/api/v1/orders", kim).status == 403);
  auto me = client.get("/api/v1/users/me", kim).json();
  REQUIRE(me.at("recent_orders").as_array().size() == 1);
  CHECK(text(me.at("recent_orders").as_array()[0], "id") == id);
}
