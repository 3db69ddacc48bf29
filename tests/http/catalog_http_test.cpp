#include <doctest/doctest.h>

#include "adapters/http/catalog/catalog_routes.hpp"
#include "http/http_fixture.hpp"

using shop::testing::HttpFixture;

namespace {

const std::string tea =
    R"({"sku":"TEA-001","name":"Green tea","description":"Jeju","price":{"amount":4500,"currency":"KRW"},"category":"drinks"})";

std::string create(shop::testing::HttpClient& client, const std::string& token, const std::string& body) {
  auto reply = client.post("/api/v1/products", body, token);
  REQUIRE(reply.status == 201);
  return std::string(reply.json().at("id").as_string());
}

}  // namespace

TEST_CASE("catalog over HTTP: staff manage products, anyone reads them") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  auto customer = app.sign_in("kim@shop.kr");

  CHECK(client.post("/api/v1/products", tea).status == 401);
  CHECK(client.post("/api/v1/products", tea).header("WWW-Authenticate") == "Bearer");
  CHECK(client.post("/api/v1/products", tea, "not-a-token").status == 401);
  CHECK(client.post("/api/v1/products", tea, customer).status == 403);

  auto created = client.post("/api/v1/products", tea, staff);
  REQUIRE(created.status == 201);
  auto product = created.json().as_object();
  std::string id(product.at("id").as_string());
  CHECK(product.at("version").as_int64() == 1);
  CHECK(product.at("price").at("amount").as_int64() == 4500);
  CHECK(created.header("ETag") == "\"1\"");
  CHECK(created.header("Location") == "/api/v1/products/" + id);

  auto fetched = client.get("/api/v1/products/" + id);
  CHECK(fetched.status == 200);
  CHECK(fetched.json().at("name").as_string() == "Green tea");
  CHECK(fetched.header("ETag") == "\"1\"");
  CHECK(client.get("/api/v1/products/unknown").status == 404);

  CHECK(client.post("/api/v1/products", tea, staff).status == 409);  // sku taken
}

TEST_CASE("catalog over HTTP: updates need the current ETag, deletes hide the product") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  std::string id = create(client, staff, tea);
  std::string renamed =
      R"({"sku":"TEA-001","name":"Jeju green tea","price":{"amount":5000,"currency":"KRW"}})";
  auto headers = [&](const std::string& etag) {
    auto h = shop::testing::HttpClient::auth(staff);
    h.emplace_back("If-Match", etag);
    return h;
  };

  auto updated = client.request("PUT", "/api/v1/products/" + id, renamed, headers("\"1\""));
  CHECK(updated.status == 200);
  CHECK(updated.header("ETag") == "\"2\"");
  CHECK(updated.json().at("description").as_string() == "");

  auto stale = client.request("PUT", "/api/v1/products/" + id, renamed, headers("\"1\""));
  CHECK(stale.status == 412);
  CHECK(stale.content_type == "application/problem+json");
  CHECK(client.request("PUT", "/api/v1/products/" + id, renamed, headers("garbage")).status == 412);
  CHECK(client.request("PUT", "/api/v1/products/" + id, renamed, headers("W/\"2\"")).status == 412);
  auto unconditional = client.request("PUT", "/api/v1/products/" + id, renamed,
                                      shop::testing::HttpClient::auth(staff));
  CHECK(unconditional.status == 428);
  CHECK(unconditional.content_type == "application/problem+json");
  CHECK(client.get("/api/v1/products/" + id).json().at("version").as_int64() == 2);

  CHECK(client.request("DELETE", "/api/v1/products/" + id, "", headers("\"1\"")).status == 412);
  CHECK(client.request("DELETE", "/api/v1/products/" + id, "", headers("\"2\"")).status == 204);
  CHECK(client.get("/api/v1/products/" + id).status == 404);
  CHECK(client.get("/api/v1/products").json().at("items").as_array().empty());
  CHECK(client.request("DELETE", "/api/v1/products/" + id, "", headers("*")).status == 404);
}

TEST_CASE("catalog over HTTP: lists page with a cursor, filter by category, search by name") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  for (int i = 0; i < 5; ++i) {
    create(client, staff,
           R"({"sku":"T-)" + std::to_string(i) + R"(","name":"Tea )" + std::to_string(i) +
               R"(","price":{"amount":100,"currency":"KRW"},"category":"tea"})");
  }
  create(client, staff, R"({"sku":"C-1","name":"Coffee","price":{"amount":100,"currency":"KRW"},"category":"coffee"})");

  std::vector<std::string> seen;
  std::string target = "/api/v1/products?limit=4";
  for (int page = 0; page < 5; ++page) {
    auto reply = client.get(target);
    REQUIRE(reply.status == 200);
    auto body = reply.json().as_object();
    for (const auto& item : body.at("items").as_array()) seen.emplace_back(item.at("sku").as_string());
    if (body.at("next_cursor").is_null()) break;
    target = "/api/v1/products?limit=4&cursor=" + std::string(body.at("next_cursor").as_string());
  }
  CHECK(seen == std::vector<std::string>{"T-0", "T-1", "T-2", "T-3", "T-4", "C-1"});
  CHECK(client.get("/api/v1/products?category=coffee").json().at("items").as_array().size() == 1);
  CHECK(client.get("/api/v1/products?q=cof").json().at("items").as_array().size() == 1);
  CHECK(client.get("/api/v1/products?q=tea+3").json().at("items").as_array().size() == 1);
  CHECK(client.get("/api/v1/products?limit=0").status == 422);
  CHECK(client.get("/api/v1/products?limit=101").status == 422);
  CHECK(client.get("/api/v1/products?limit=ten").status == 422);
  CHECK(client.get("/api/v1/products?q=%ZZ").status == 400);
}

TEST_CASE("a product read is kept until it changes, through this server or by an event") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  std::string id = create(client, staff, tea);
  std::string path = "/api/v1/products/" + id;
  auto name = [&](const shop::testing::HttpReply& reply) {
    return std::string(reply.json().at("name").as_string());
  };
  REQUIRE(name(client.get(path)) == "Green tea");

  // Changed behind the server's back, as another process would: the kept
  // answer stands for anonymous readers, not for signed-in ones.
  shop::catalog::ProductInput renamed{"TEA-001", "Jeju tea", "", {4500, "KRW"}, "drinks"};
  app.catalog->update(id, renamed, shop::catalog::Product::any_version);
  CHECK(name(client.get(path)) == "Green tea");
  CHECK(name(client.get(path, staff)) == "Jeju tea");
  CHECK(name(client.get(path + "?fresh=1")) == "Jeju tea");

  // The catalog's event forgets it.
  shop::http::forget_changed_product(
      app.router.cache(),
      {"event-1", "shop.catalog.product_updated.v1", "catalog", id, app.clock.now(), "{}"});
  CHECK(name(client.get(path)) == "Jeju tea");

  // A write through this server forgets it too.
  client.get(path);
  auto headers = shop::testing::HttpClient::auth(staff);
  headers.emplace_back("If-Match", "*");
  auto put = client.request("PUT", path,
                            R"({"sku":"TEA-001","name":"Sejong tea","price":{"amount":4500,"currency":"KRW"}})",
                            headers);
  REQUIRE(put.status == 200);
  CHECK(name(client.get(path)) == "Sejong tea");
}
