#include <doctest/doctest.h>

#include <stdexcept>

#include "application/identity/events.hpp"

using namespace shop::identity;

TEST_CASE("UserRegistered has a fixed JSON shape and round-trips") {
  UserRegistered event{"u-1", "kim@example.com", "김민수", "customer"};
  CHECK(std::string(UserRegistered::type) == "shop.identity.user_registered.v1");
  CHECK(event.subject() == "u-1");
  CHECK(encode(event) ==
        R"json({"user_id":"u-1","email":"kim@example.com","name":"김민수","role":"customer"})json");
  CHECK(decode_user_registered(encode(event)) == event);
}

TEST_CASE("UserRegistered decoding refuses data that breaks the schema") {
  CHECK_THROWS_AS(decode_user_registered("\"u-1\""), std::runtime_error);
  CHECK_THROWS_AS(decode_user_registered(R"({"user_id":"u-1","email":"k@e.com","name":"K"})"),
                  std::runtime_error);
  CHECK_THROWS_AS(decode_user_registered(R"({"user_id":1,"email":"k@e.com","name":"K","role":"staff"})"),
                  std::runtime_error);
}
