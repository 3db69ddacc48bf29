#include <doctest/doctest.h>

#include "http/http_fixture.hpp"

using shop::testing::HttpFixture;

TEST_CASE("stock over HTTP: restock, stock take, ledger") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  auto customer = app.sign_in("kim@shop.kr");
  auto created = client.post(
      "/api/v1/products", R"({"sku":"A","name":"Apple","price":{"amount":100,"currency":"KRW"}})", staff);
  std::string id(created.json().at("id").as_string());
  std::string level = "/api/v1/stock/" + id;

  CHECK(client.get(level).json().at("on_hand").as_int64() == 0);
  CHECK(client.get("/api/v1/stock/unknown").status == 404);
  CHECK(client.post(level + "/restock", R"({"quantity":5})", customer).status == 403);
  CHECK(client.post("/api/v1/stock/unknown/restock", R"({"quantity":5})", staff).status == 404);

  auto restocked = client.post(level + "/restock", R"({"quantity":50})", staff);
  CHECK(restocked.status == 200);
  CHECK(restocked.json().at("on_hand").as_int64() == 50);
  CHECK(restocked.json().at("available").as_int64() == 50);

  app.stock->reserve("order-1", {{id, 8}});
  auto take = [&](const std::string& body) {
    return client.request("PUT", level, body, shop::testing::HttpClient::auth(staff));
  };
  auto moved = take(R"({"expected_on_hand":40,"on_hand":45})");
  CHECK(moved.status == 409);
  CHECK(moved.json().at("code").as_string() == "stock_level_moved");
  auto below = take(R"({"expected_on_hand":50,"on_hand":7})");
  CHECK(below.status == 409);
  CHECK(below.json().at("code").as_string() == "below_reserved");
  auto counted = take(R"({"expected_on_hand":50,"on_hand":48,"low_stock_threshold":2})");
  CHECK(counted.status == 200);
  CHECK(counted.json().at("on_hand").as_int64() == 48);
  CHECK(counted.json().at("reserved").as_int64() == 8);
  CHECK(counted.json().at("available").as_int64() == 40);
  CHECK(counted.json().at("low_stock_threshold").as_int64() == 2);

  auto ledger = client.get(level + "/ledger?limit=2", staff);
  REQUIRE(ledger.status == 200);
  auto items = ledger.json().at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(items[0].at("movement").as_string() == "restock");
  CHECK(items[1].at("movement").as_string() == "reserve");
  CHECK(items[1].at("order_id").as_string() == "order-1");
  std::string cursor(ledger.json().at("next_cursor").as_string());
  auto rest = client.get(level + "/ledger?cursor=" + cursor, staff).json();
  CHECK(rest.at("items").as_array().size() == 1);
  CHECK(rest.at("items").as_array()[0].at("on_hand_delta").as_int64() == -2);
  CHECK(rest.at("next_cursor").is_null());
  CHECK(client.get(level + "/ledger", customer).status == 403);
}

TEST_CASE("parked events are listed for staff only") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  auto customer = app.sign_in("kim@shop.kr");
  CHECK(client.get("/api/v1/events/parked", customer).status == 403);
  CHECK(client.get("/api/v1/events/parked", staff).json().at("items").as_array().empty());

  auto head = app.identity_store.unpublished(1).at(0);
  app.identity_store.park(head, "mailer down", app.clock.now());
  auto reply = client.get("/api/v1/events/parked", staff);
  REQUIRE(reply.status == 200);
  auto items = reply.json().at("items").as_array();
  REQUIRE(items.size() == 1);
  CHECK(items[0].at("module").as_string() == "identity");
  CHECK(items[0].at("error").as_string() == "mailer down");
  CHECK(items[0].at("event").at("type").as_string() == "shop.identity.user_registered.v1");
  CHECK(items[0].at("event").at("data").at("email").as_string() == "staff@shop.kr");
}

TEST_CASE("a deleted product's stock is no longer served or changed") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  auto created = client.post(
      "/api/v1/products", R"({"sku":"A","name":"Apple","price":{"amount":100,"currency":"KRW"}})", staff);
  std::string id(created.json().at("id").as_string());
  CHECK(client.post("/api/v1/stock/" + id + "/restock", R"({"quantity":5})", staff).status == 200);
  CHECK(client.request("DELETE", "/api/v1/products/" + id, "", shop::testing::HttpClient::auth(staff))
            .status == 204);
  CHECK(client.get("/api/v1/stock/" + id).status == 404);
  CHECK(client.post("/api/v1/stock/" + id + "/restock", R"({"quantity":5})", staff).status == 404);
}
