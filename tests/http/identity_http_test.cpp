#include <doctest/doctest.h>

#include "http/http_fixture.hpp"

using shop::testing::HttpFixture;

TEST_CASE("identity over HTTP: register, log in, see yourself, not others") {
  HttpFixture app;
  auto client = app.client();
  auto registered =
      client.post("/api/v1/users", R"({"email":"Kim@X.kr","name":"Kim","password":"s3cret-pass"})");
  REQUIRE(registered.status == 201);
  auto user = registered.json().as_object();
  CHECK(user.at("email").as_string() == "kim@x.kr");
  CHECK(user.at("role").as_string() == "customer");
  CHECK_FALSE(user.contains("password_hash"));
  std::string id(user.at("id").as_string());

  CHECK(client.post("/api/v1/users", R"({"email":"kim@x.kr","name":"K","password":"s3cret-pass"})").status ==
        409);

  auto session = client.post("/api/v1/sessions", R"({"email":"kim@x.kr","password":"s3cret-pass"})");
  REQUIRE(session.status == 201);
  std::string token(session.json().at("token").as_string());
  CHECK(token.size() >= 43);  // 256 bits in base64url
  CHECK(session.json().at("user").at("id").as_string() == id);

  CHECK(client.get("/api/v1/users/me", token).json().at("id").as_string() == id);
  CHECK(client.get("/api/v1/users/" + id, token).status == 200);
  CHECK(client.get("/api/v1/users/me").status == 401);

  auto other = app.sign_in("lee@x.kr");
  CHECK(client.get("/api/v1/users/" + id, other).status == 404);
  auto staff = app.sign_in("staff@x.kr", shop::identity::Role::staff);
  CHECK(client.get("/api/v1/users/" + id, staff).status == 200);

  auto wrong = client.post("/api/v1/sessions", R"({"email":"kim@x.kr","password":"wrong-pass"})");
  CHECK(wrong.status == 401);
  CHECK(wrong.json().at("code").as_string() == "invalid_credentials");
  auto unknown = client.post("/api/v1/sessions", R"({"email":"nobody@x.kr","password":"wrong-pass"})");
  CHECK(unknown.status == 401);
  CHECK(unknown.json().at("detail") == wrong.json().at("detail"));
}

TEST_CASE("identity over HTTP: tokens expire") {
  HttpFixture app;
  auto client = app.client();
  auto token = app.sign_in("kim@x.kr");
  CHECK(client.get("/api/v1/users/me", token).status == 200);
  app.clock.advance(std::chrono::hours(13));
  CHECK(client.get("/api/v1/users/me", token).status == 401);
}

TEST_CASE("identity over HTTP: logins are rate limited per client address") {
  HttpFixture app;
  auto client = app.client();
  const std::string body = R"({"email":"kim@x.kr","password":"wrong-pass"})";
  for (int i = 0; i < 10; ++i) CHECK(client.post("/api/v1/sessions", body).status == 401);
  auto limited = client.post("/api/v1/sessions", body);
  CHECK(limited.status == 429);
  CHECK(std::stoi(limited.header("Retry-After")) > 0);
  app.clock.advance(std::chrono::minutes(1));
  CHECK(client.post("/api/v1/sessions", body).status == 401);
}

TEST_CASE("identity over HTTP: sign-ups are rate limited per client address") {
  HttpFixture app;
  auto client = app.client();
  for (int i = 0; i < 10; ++i) {
    auto body = R"({"email":"user)" + std::to_string(i) + R"(@x.kr","name":"U","password":"s3cret-pass"})";
    CHECK(client.post("/api/v1/users", body).status == 201);
  }
  auto limited = client.post("/api/v1/users", R"({"email":"late@x.kr","name":"U","password":"s3cret-pass"})");
  CHECK(limited.status == 429);
  CHECK_FALSE(limited.header("Retry-After").empty());
}
