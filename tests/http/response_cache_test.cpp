#include <doctest/doctest.h>

#include "adapters/http/response_cache.hpp"

using shop::http::Response;
using shop::http::ResponseCache;

TEST_CASE("an answer begun before a change is not kept: it may predate the change") {
  ResponseCache cache;
  Response old_answer{200, "application/json", {}, R"({"name":"old"})", nullptr};
  auto began = cache.generation();
  cache.forget("/api/v1/products/p1");  // the write lands while the read runs
  cache.offer("/api/v1/products/p1", old_answer, began);
  CHECK_FALSE(cache.find("/api/v1/products/p1"));

  cache.offer("/api/v1/products/p1", old_answer, cache.generation());
  REQUIRE(cache.find("/api/v1/products/p1"));
  CHECK(cache.find("/api/v1/products/p1")->body == old_answer.body);
}

TEST_CASE("a full cache starts over instead of growing") {
  ResponseCache cache(2);
  Response answer{200, "application/json", {}, "{}", nullptr};
  cache.offer("/a", answer, cache.generation());
  cache.offer("/b", answer, cache.generation());
  cache.offer("/c", answer, cache.generation());
  CHECK_FALSE(cache.find("/a"));
  CHECK_FALSE(cache.find("/b"));
  CHECK(cache.find("/c"));
}

TEST_CASE("turned off (no events reach this process), the cache forgets and keeps nothing") {
  ResponseCache cache;
  Response answer{200, "application/json", {}, "{}", nullptr};
  cache.offer("/a", answer, cache.generation());
  auto began = cache.generation();
  cache.set_enabled(false);
  CHECK_FALSE(cache.find("/a"));
  cache.offer("/b", answer, cache.generation());
  CHECK_FALSE(cache.find("/b"));
  // An answer begun while it was off is not kept once it is on again: a
  // change may have gone by unheard meanwhile.
  auto while_off = cache.generation();
  cache.set_enabled(true);
  cache.offer("/a", answer, began);
  cache.offer("/b", answer, while_off);
  CHECK_FALSE(cache.find("/a"));
  CHECK_FALSE(cache.find("/b"));
  cache.offer("/a", answer, cache.generation());
  CHECK(cache.find("/a"));
}
