#include <doctest/doctest.h>

#include <set>

#include "http/http_fixture.hpp"

using shop::testing::HttpFixture;

namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TEST_CASE("openapi.json describes exactly the routes the router serves") {
  HttpFixture app;
  auto reply = app.client().get("/openapi.json");
  REQUIRE(reply.status == 200);
  auto document = reply.json().as_object();
  CHECK(document.at("openapi").as_string().starts_with("3.1"));

  std::set<std::string> documented;
  for (const auto& [path, operations] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : operations.as_object()) {
      if (method == "parameters") continue;
      documented.insert(lower(std::string(method)) + " " + std::string(path));
    }
  }
  std::set<std::string> served;
  for (const auto& route : app.router.routes()) served.insert(lower(route.method) + " " + route.pattern);

  for (const auto& route : served) {
    INFO(route);
    CHECK(documented.contains(route));
  }
  for (const auto& route : documented) {
    INFO(route);
    CHECK(served.contains(route));
  }
}
