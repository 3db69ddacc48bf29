#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/identity/user.hpp"
#include "failure_check.hpp"

using namespace shop;
using namespace shop::identity;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};

std::string repeat(const std::string& unit, std::size_t times) {
  std::string text;
  for (std::size_t i = 0; i < times; ++i) text += unit;
  return text;
}

}  // namespace

TEST_CASE("normalize_email lower-cases ASCII letters") {
  CHECK(normalize_email("Alice.Smith@Example.COM") == "alice.smith@example.com");
  CHECK(normalize_email("bob+shop@mail.example.kr") == "bob+shop@mail.example.kr");
  CHECK(normalize_email("a@b.c") == "a@b.c");
}

TEST_CASE("normalize_email rejects what is not shaped like an address") {
  for (const std::string email : {"", "alice", "@example.com", "alice@", "alice@example",
                                  "alice@@example.com", "a@b@example.com", "alice@.com",
                                  "alice@example.", "al ice@example.com", "alice@exa\tmple.com",
                                  "alice@example.com\n", "\xFF@example.com"}) {
    CAPTURE(email);
    CHECK_INVALID_FIELD("email", normalize_email(email));
  }
}

TEST_CASE("normalize_email bounds the address at 254 bytes") {
  const std::string domain = "@example.com";
  std::string longest = repeat("a", 254 - domain.size()) + domain;
  CHECK(normalize_email(longest).size() == 254);
  CHECK_INVALID_FIELD("email", normalize_email("a" + longest));
}

TEST_CASE("validate_password counts characters, bounded in bytes") {
  CHECK_NOTHROW(validate_password("12345678"));
  CHECK_INVALID_FIELD("password", validate_password("1234567"));
  CHECK_INVALID_FIELD("password", validate_password(""));
  // Seven Hangul syllables are 21 bytes but only 7 characters.
  CHECK_INVALID_FIELD("password", validate_password(repeat("비", 7)));
  CHECK_NOTHROW(validate_password(repeat("비", 8)));
  CHECK_NOTHROW(validate_password(repeat("x", 1024)));
  CHECK_INVALID_FIELD("password", validate_password(repeat("x", 1025)));
  CHECK_INVALID_FIELD("password", validate_password("12345678\xC0"));
}

TEST_CASE("role names round-trip and unknown names are refused") {
  CHECK(std::string(to_string(Role::customer)) == "customer");
  CHECK(std::string(to_string(Role::staff)) == "staff");
  CHECK(role_from_string("customer") == Role::customer);
  CHECK(role_from_string("staff") == Role::staff);
  CHECK_FALSE(role_from_string("Staff").has_value());
  CHECK_FALSE(role_from_string("admin").has_value());
  CHECK_FALSE(role_from_string("").has_value());
}

TEST_CASE("User::create normalizes the email and keeps role and hash") {
  User user = User::create("u-1", "Kim@Example.com", "김민수", Role::staff, "hash", t0);
  CHECK(user.id == "u-1");
  CHECK(user.email == "kim@example.com");
  CHECK(user.name == "김민수");
  CHECK(user.role == Role::staff);
  CHECK(user.password_hash == "hash");
  CHECK(user.created_at == t0);
}

TEST_CASE("User::create validates email and name") {
  CHECK_INVALID_FIELD("email", User::create("u-1", "kim", "Kim", Role::customer, "h", t0));
  CHECK_INVALID_FIELD("name", User::create("u-1", "kim@example.com", "", Role::customer, "h", t0));
  CHECK_NOTHROW(User::create("u-1", "kim@example.com", repeat("김", 100), Role::customer, "h", t0));
  CHECK_INVALID_FIELD("name",
                      User::create("u-1", "kim@example.com", repeat("김", 101), Role::customer, "h", t0));
  CHECK_INVALID_FIELD("name",
                      User::create("u-1", "kim@example.com", "Kim\nLee", Role::customer, "h", t0));
}
