#include <doctest/doctest.h>

#include <thread>

#include "http/http_fixture.hpp"

using shop::testing::HttpFixture;
using shop::testing::HttpReply;

namespace {

// Every refusal is a problem document with the status in its body too.
void check_problem(const HttpReply& reply, int status) {
  CHECK(reply.status == status);
  CHECK(reply.content_type == "application/problem+json");
  auto body = reply.json().as_object();
  CHECK(body.at("status").as_int64() == status);
  CHECK(body.contains("type"));
  CHECK(body.contains("title"));
  CHECK(body.contains("detail"));
}

std::vector<std::string> error_fields(const HttpReply& reply) {
  std::vector<std::string> fields;
  auto body = reply.json();
  for (const auto& error : body.at("errors").as_array()) {
    fields.emplace_back(error.at("field").as_string());
  }
  return fields;
}

}  // namespace

TEST_CASE("bad JSON bodies get the right 4xx and the server keeps serving") {
  HttpFixture app;
  auto client = app.client();
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  const std::string products = "/api/v1/products";

  SUBCASE("malformed JSON is 400") {
    check_problem(client.post(products, R"({"sku":"A",)", staff), 400);
    check_problem(client.post(products, "[1,2]", staff), 400);
    check_problem(client.request("POST", products, "", {{"Content-Type", "application/json"},
                                                         {"Authorization", "Bearer " + staff}}),
                  400);
    check_problem(client.post(products, std::string(100, '['), staff), 400);
  }
  SUBCASE("wrong types are 422 naming each field") {
    auto reply = client.post(
        products, R"({"sku":1,"name":["x"],"price":{"amount":"10","currency":7}})", staff);
    check_problem(reply, 422);
    CHECK(error_fields(reply) ==
          std::vector<std::string>{"sku", "name", "price.amount", "price.currency"});
  }
  SUBCASE("missing and unknown fields are 422") {
    auto missing = client.post(products, R"({"sku":"A"})", staff);
    check_problem(missing, 422);
    CHECK(error_fields(missing) == std::vector<std::string>{"name", "price"});
    auto unknown = client.post(
        products, R"({"sku":"A","name":"N","price":{"amount":1,"currency":"KRW","x":1},"colour":"red"})",
        staff);
    check_problem(unknown, 422);
    CHECK(error_fields(unknown) == std::vector<std::string>{"price.x", "colour"});
  }
  SUBCASE("rule-breaking values are 422") {
    check_problem(client.post(products, R"({"sku":"A B","name":"N","price":{"amount":1,"currency":"KRW"}})", staff), 422);
    check_problem(client.post(products, R"({"sku":"A","name":"","price":{"amount":1,"currency":"KRW"}})", staff), 422);
    check_problem(client.post(products, R"({"sku":"A","name":"N","price":{"amount":-1,"currency":"KRW"}})", staff), 422);
    check_problem(client.post(products, R"({"sku":"A","name":"N","price":{"amount":1,"currency":"won"}})", staff), 422);
    check_problem(client.post(products, R"({"sku":"A","name":"N","price":{"amount":1,"currency":"USD"}})", staff), 422);
    check_problem(client.post("/api/v1/users", R"({"email":"nope","name":"N","password":"long-enough"})"), 422);
    check_problem(client.post("/api/v1/users", R"({"email":"a@b.kr","name":"N","password":"short"})"), 422);
  }
  SUBCASE("negative, zero, fractional and huge quantities are 422") {
    auto id = std::string(client.post(products, R"({"sku":"A","name":"N","price":{"amount":1,"currency":"KRW"}})", staff)
                              .json().at("id").as_string());
    std::string restock = "/api/v1/stock/" + id + "/restock";
    for (const char* quantity : {"-1", "0", "1.5", "1e3", "1000000001", "99999999999999999999",
                                 "18446744073709551615", "\"5\"", "null", "true"}) {
      INFO(quantity);
      check_problem(client.post(restock, std::string(R"({"quantity":)") + quantity + "}", staff), 422);
    }
    CHECK(client.get("/api/v1/stock/" + id).json().at("on_hand").as_int64() == 0);
  }
  SUBCASE("a body that is not JSON is 415") {
    check_problem(client.request("POST", products, "sku=A", {{"Content-Type", "application/x-www-form-urlencoded"},
                                                             {"Authorization", "Bearer " + staff}}),
                  415);
    check_problem(client.request("POST", products, "{}", {{"Content-Type", "text/plain"},
                                                          {"Authorization", "Bearer " + staff}}),
                  415);
  }
  CHECK(client.get("/health/live").status == 200);
}

TEST_CASE("an oversized body is 413 without being read") {
  HttpFixture app(4096);
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  {
    auto client = app.client();
    std::string huge = R"({"sku":"A","name":")" + std::string(10000, 'x') + R"("})";
    check_problem(client.post("/api/v1/products", huge, staff), 413);
  }
  {
    // Chunked, so the length is only known while reading.
    auto client = app.client();
    std::string chunk(5000, 'x');
    std::ostringstream request;
    request << "POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            << "Transfer-Encoding: chunked\r\n\r\n"
            << std::hex << chunk.size() << "\r\n" << chunk << "\r\n0\r\n\r\n";
    check_problem(client.raw(request.str()), 413);
  }
  CHECK(app.client().get("/health/live").status == 200);
}

TEST_CASE("garbage bytes get 400 and the server keeps serving") {
  HttpFixture app;
  for (const std::string& garbage : {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 16),
                                    std::string("GET / HTTP/9.9\r\n\r\n"),
                                    std::string("NOT A REQUEST\r\n\r\n"),
                                    std::string("GET /x HTTP/1.1\r\nBad Header\r\n\r\n"),
                                    std::string("POST /api/v1/users HTTP/1.1\r\nContent-Length: -5\r\n\r\n")}) {
    auto client = app.client();
    check_problem(client.raw(garbage), 400);
  }
  auto client = app.client();
  check_problem(client.get("/api/v1/products/%"), 400);
  CHECK(client.get("/health/live").status == 200);
}

TEST_CASE("unknown routes are 404, wrong methods 405 with Allow") {
  HttpFixture app;
  auto client = app.client();
  check_problem(client.get("/api/v1/nothing"), 404);
  check_problem(client.get("/"), 404);
  auto wrong = client.request("PATCH", "/api/v1/products");
  check_problem(wrong, 405);
  CHECK(wrong.header("Allow") == "GET, POST");
}

TEST_CASE("connections are kept alive and every response names its request") {
  HttpFixture app;
  auto client = app.client();
  auto first = client.get("/health/live");
  auto second = client.get("/health/live");
  CHECK(first.status == 200);
  CHECK(second.status == 200);
  CHECK_FALSE(first.header("X-Request-Id").empty());
  CHECK(first.header("X-Request-Id") != second.header("X-Request-Id"));
  auto traced = client.request("GET", "/health/live", "", {{"X-Request-Id", "trace-42"}});
  CHECK(traced.header("X-Request-Id") == "trace-42");
  auto unsafe = client.request("GET", "/health/live", "", {{"X-Request-Id", "bad id\"{}"}});
  CHECK(unsafe.header("X-Request-Id") != "bad id\"{}");
}

TEST_CASE("readiness turns 503 while draining") {
  HttpFixture app;
  auto client = app.client();
  CHECK(client.get("/health/ready").status == 200);
  app.draining = true;
  auto draining = client.get("/health/ready");
  CHECK(draining.status == 503);
  CHECK(draining.json().at("checks").at("serving").as_string() == "fail");
  CHECK(client.get("/health/live").status == 200);
}

TEST_CASE("bytes that are not UTF-8 in the path come back as valid JSON") {
  HttpFixture app;
  auto reply = app.client().get("/api/v1/products/%FF%FE");
  check_problem(reply, 404);
  CHECK(reply.json().at("detail").as_string().find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("time spent idle before a request does not count against the request") {
  HttpFixture app(1 << 20, std::chrono::seconds(1));
  auto staff = app.sign_in("staff@shop.kr", shop::identity::Role::staff);
  auto client = app.client();
  CHECK(client.get("/health/live").status == 200);
  // Idle for most of the timeout, then a request whose body arrives late:
  // together longer than the timeout, each phase shorter.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  std::string body = R"({"sku":"A","name":"N","price":{"amount":1,"currency":"KRW"}})";
  std::string head = "POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Authorization: Bearer " + staff + "\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n";
  client.send(head);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(client.raw(body).status == 201);
}
