#include <doctest/doctest.h>

#include "http/delivery_http_fixture.hpp"

using namespace shop;
using shop::delivery::DeliveryStatus;
using shop::testing::DeliveryHttpFixture;

namespace {

std::vector<std::string> orders_in(const boost::json::value& page) {
  std::vector<std::string> orders;
  for (const auto& item : page.at("items").as_array()) {
    orders.emplace_back(item.at("order_id").as_string());
  }
  return orders;
}

}  // namespace

TEST_CASE("a delivery as JSON") {
  DeliveryHttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", identity::Role::staff).token;
  auto view = app.request("o-1", "c-1");

  auto reply = client.get("/api/v1/deliveries/" + view.id, staff);
  REQUIRE(reply.status == 200);
  CHECK(reply.content_type == "application/json");
  auto json = reply.json().as_object();
  CHECK(json.at("id").as_string() == view.id);
  CHECK(json.at("order_id").as_string() == "o-1");
  CHECK(json.at("customer_id").as_string() == "c-1");
  CHECK(json.at("status").as_string() == "REQUESTED");
  CHECK(json.at("address") == boost::json::parse(
                                  R"({"name":"Kim","line1":"1 Sejong-daero","line2":"Apt 101",
                                      "city":"Seoul","postal_code":"04524","phone":"010-1234-5678"})"));
  CHECK(json.at("cancel_reason").is_null());
  CHECK(json.at("created_at").as_string() == "2027-01-15T08:00:00.000Z");
  CHECK(json.at("updated_at").as_string() == "2027-01-15T08:00:00.000Z");
  CHECK(json.size() == 8);

  app.deliveries->on_order_events({app.cancelled("o-1", "changed my mind")});
  auto cancelled = client.get("/api/v1/deliveries/" + view.id, staff).json();
  CHECK(cancelled.at("status").as_string() == "CANCELLED");
  CHECK(cancelled.at("cancel_reason").as_string() == "changed my mind");
}

TEST_CASE("staff move a delivery along the path over HTTP") {
  DeliveryHttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", identity::Role::staff).token;
  auto id = app.request("o-1").id;
  auto status_url = "/api/v1/deliveries/" + id + "/status";

  for (const char* status : {"ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"}) {
    CAPTURE(status);
    auto reply = client.post(status_url, std::string(R"({"status":")") + status + "\"}", staff);
    CHECK(reply.status == 200);
    CHECK(reply.json().at("status").as_string() == status);
    CHECK(reply.json().at("id").as_string() == id);
  }
  CHECK(app.dispatch.calls == std::vector<std::string>{"o-1"});
  auto again = client.post(status_url, R"({"status":"DELIVERED"})", staff);
  CHECK(again.status == 200);
  CHECK(again.json().at("status").as_string() == "DELIVERED");
}

TEST_CASE("a refused move over HTTP: skipped step, cancelled order, bad status") {
  DeliveryHttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", identity::Role::staff).token;
  auto requested = app.request("o-1").id;

  auto skipped = client.post("/api/v1/deliveries/" + requested + "/status",
                             R"({"status":"PREPARING"})", staff);
  CHECK(skipped.status == 409);
  CHECK(skipped.json().at("code").as_string() == "invalid_transition");

  auto preparing = app.delivery_at("o-2", DeliveryStatus::preparing).id;
  app.dispatch.cancelled.insert("o-2");
  auto refused = client.post("/api/v1/deliveries/" + preparing + "/status",
                             R"({"status":"DISPATCHED"})", staff);
  CHECK(refused.status == 409);
  CHECK(refused.json().at("code").as_string() == "order_cancelled");
  CHECK(client.get("/api/v1/deliveries/" + preparing, staff).json().at("status").as_string() ==
        "PREPARING");

  for (const char* body : {R"({"status":"LOST"})", R"({"status":"accepted"})", R"({"status":3})",
                           R"({})"}) {
    CAPTURE(body);
    auto bad = client.post("/api/v1/deliveries/" + requested + "/status", body, staff);
    CHECK(bad.status == 422);
    CHECK(bad.json().at("errors").at(0).at("field").as_string() == "status");
  }
  CHECK(client.post("/api/v1/deliveries/nope/status", R"({"status":"ACCEPTED"})", staff).status ==
        404);
  CHECK(client.get("/api/v1/deliveries/" + requested, staff).json().at("status").as_string() ==
        "REQUESTED");
}

TEST_CASE("only staff move deliveries") {
  DeliveryHttpFixture app;
  auto client = app.client();
  auto customer = app.sign_in("kim@shop.kr");
  auto id = app.request("o-1", customer.user.id).id;
  auto url = "/api/v1/deliveries/" + id + "/status";
  CHECK(client.post(url, R"({"status":"ACCEPTED"})").status == 401);
  CHECK(client.post(url, R"({"status":"ACCEPTED"})", customer.token).status == 403);
  CHECK(app.deliveries->get(id).status == DeliveryStatus::requested);
}

TEST_CASE("the board: staff see every delivery, filtered and paged") {
  DeliveryHttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", identity::Role::staff).token;
  app.request("o-1", "c-1");
  app.delivery_at("o-2", DeliveryStatus::accepted);
  app.request("o-3", "c-2");

  CHECK(client.get("/api/v1/deliveries").status == 401);
  auto all = client.get("/api/v1/deliveries", staff);
  REQUIRE(all.status == 200);
  CHECK(orders_in(all.json()) == std::vector<std::string>{"o-3", "o-2", "o-1"});
  CHECK(all.json().at("next_cursor").is_null());

  auto first = client.get("/api/v1/deliveries?limit=2", staff).json();
  CHECK(orders_in(first) == std::vector<std::string>{"o-3", "o-2"});
  std::string cursor(first.at("next_cursor").as_string());
  auto rest = client.get("/api/v1/deliveries?limit=2&cursor=" + cursor, staff).json();
  CHECK(orders_in(rest) == std::vector<std::string>{"o-1"});
  CHECK(rest.at("next_cursor").is_null());

  CHECK(orders_in(client.get("/api/v1/deliveries?status=ACCEPTED", staff).json()) ==
        std::vector<std::string>{"o-2"});
  CHECK(orders_in(client.get("/api/v1/deliveries?order_id=o-3", staff).json()) ==
        std::vector<std::string>{"o-3"});
  CHECK(orders_in(client.get("/api/v1/deliveries?customer_id=c-2", staff).json()) ==
        std::vector<std::string>{"o-3"});

  auto bad_status = client.get("/api/v1/deliveries?status=lost", staff);
  CHECK(bad_status.status == 422);
  CHECK(bad_status.json().at("errors").at(0).at("field").as_string() == "status");
  auto bad_limit = client.get("/api/v1/deliveries?limit=101", staff);
  CHECK(bad_limit.status == 422);
  CHECK(bad_limit.json().at("errors").at(0).at("field").as_string() == "limit");
}

TEST_CASE("a customer sees only their own deliveries; another's is a 404") {
  DeliveryHttpFixture app;
  auto client = app.client();
  auto kim = app.sign_in("kim@shop.kr");
  auto lee = app.sign_in("lee@shop.kr");
  auto kims = app.request("o-1", kim.user.id).id;
  auto lees = app.request("o-2", lee.user.id).id;

  CHECK(orders_in(client.get("/api/v1/deliveries", kim.token).json()) ==
        std::vector<std::string>{"o-1"});
  // Asking for someone else's board still shows one's own.
  CHECK(orders_in(client.get("/api/v1/deliveries?customer_id=" + lee.user.id, kim.token).json()) ==
        std::vector<std::string>{"o-1"});
  CHECK(client.get("/api/v1/deliveries?order_id=o-2", kim.token).json().at("items").as_array().empty());

  CHECK(client.get("/api/v1/deliveries/" + kims, kim.token).status == 200);
  auto hidden = client.get("/api/v1/deliveries/" + lees, kim.token);
  CHECK(hidden.status == 404);
  CHECK(hidden.json().at("code").as_string() == "delivery_not_found");
  CHECK(client.get("/api/v1/deliveries/nope", kim.token).status == 404);
  CHECK(client.get("/api/v1/deliveries/" + kims).status == 401);
}
