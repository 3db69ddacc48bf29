#include <doctest/doctest.h>

#include <chrono>

#include "domain/failure_check.hpp"
#include "identity_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using namespace std::chrono_literals;

namespace {

struct Registered : IdentityFixture {
  identity::UserView user = identity->register_customer(kim(), "test-client");
};

struct ShortSessions : IdentityFixture {
  ShortSessions() : IdentityFixture(identity::IdentitySettings{std::chrono::hours(1), 10}) {
    identity->register_customer(kim(), "test-client");
  }
};

struct Throttled : IdentityFixture {
  Throttled() : IdentityFixture(identity::IdentitySettings{std::chrono::hours(12), 3}) {
    identity->register_customer(kim(), "test-client");
  }
};

}  // namespace

TEST_CASE_FIXTURE(Registered, "log_in returns a token that principal() resolves") {
  auto session = identity->log_in("kim@example.com", "correct horse", "10.0.0.1");
  CHECK_FALSE(session.token.empty());
  CHECK(session.expires_at == clock.now() + 12h);
  CHECK(session.user.id == user.id);
  CHECK(session.user.email == "kim@example.com");

  auto principal = identity->principal(session.token);
  REQUIRE(principal.has_value());
  CHECK(principal->user_id == user.id);
  CHECK(principal->role == identity::Role::customer);
  CHECK_FALSE(principal->is_staff());
}

TEST_CASE_FIXTURE(Registered, "the email of a login is case-insensitive") {
  auto session = identity->log_in("KIM@Example.COM", "correct horse", "10.0.0.1");
  CHECK(session.user.id == user.id);
}

TEST_CASE_FIXTURE(Registered, "each login gets its own token; only its digest is stored") {
  auto first = identity->log_in("kim@example.com", "correct horse", "10.0.0.1");
  auto second = identity->log_in("kim@example.com", "correct horse", "10.0.0.1");
  CHECK(first.token != second.token);
  CHECK(identity->principal(first.token).has_value());
  CHECK(identity->principal(second.token).has_value());
  CHECK_FALSE(store.token(first.token).has_value());
  CHECK(store.token(tokens.digest(first.token)).has_value());
}

TEST_CASE_FIXTURE(Registered, "unknown tokens resolve to nobody") {
  CHECK_FALSE(identity->principal("").has_value());
  CHECK_FALSE(identity->principal("token-999").has_value());
  CHECK_FALSE(identity->principal(std::string(201, 'x')).has_value());
}

TEST_CASE_FIXTURE(Registered, "a staff token resolves to a staff principal") {
  identity->create_user({"boss@shop.example", "Boss", "staff password"}, identity::Role::staff);
  auto session = identity->log_in("boss@shop.example", "staff password", "10.0.0.1");
  auto principal = identity->principal(session.token);
  REQUIRE(principal.has_value());
  CHECK(principal->is_staff());
}

TEST_CASE_FIXTURE(Registered, "wrong password and unknown email get the same answer") {
  auto wrong_password = failure_of(
      [&] { identity->log_in("kim@example.com", "wrong horse", "10.0.0.1"); });
  auto unknown_email = failure_of(
      [&] { identity->log_in("lee@example.com", "correct horse", "10.0.0.1"); });
  REQUIRE(wrong_password.has_value());
  REQUIRE(unknown_email.has_value());
  CHECK(wrong_password->kind() == FailureKind::unauthenticated);
  CHECK(wrong_password->code() == "invalid_credentials");
  CHECK(unknown_email->kind() == FailureKind::unauthenticated);
  CHECK(unknown_email->code() == "invalid_credentials");
  CHECK(std::string(unknown_email->what()) == wrong_password->what());
}

TEST_CASE_FIXTURE(Registered, "malformed login input is just wrong credentials") {
  CHECK_FAILURE(FailureKind::unauthenticated, "invalid_credentials",
                identity->log_in("not an email", "correct horse", "10.0.0.1"));
  CHECK_FAILURE(FailureKind::unauthenticated, "invalid_credentials",
                identity->log_in("kim@example.com", std::string(1025, 'x'), "10.0.0.1"));
  // The decoy hash of unknown emails accepts no password.
  CHECK_FAILURE(FailureKind::unauthenticated, "invalid_credentials",
                identity->log_in("lee@example.com", "decoy password", "10.0.0.1"));
}

TEST_CASE_FIXTURE(ShortSessions, "a token expires after token_ttl") {
  auto session = identity->log_in("kim@example.com", "correct horse", "10.0.0.1");
  CHECK(session.expires_at == clock.now() + 1h);
  clock.advance(1h - 1ms);
  CHECK(identity->principal(session.token).has_value());
  clock.advance(1ms);
  CHECK_FALSE(identity->principal(session.token).has_value());
}

TEST_CASE_FIXTURE(Throttled, "too many attempts from one client are rate limited") {
  for (int i = 0; i < 3; ++i) {
    CHECK_FAILURE(FailureKind::unauthenticated, "invalid_credentials",
                  identity->log_in("kim@example.com", "guess " + std::to_string(i), "10.0.0.1"));
  }
  clock.advance(20s);
  auto limited = failure_of([&] { identity->log_in("kim@example.com", "correct horse", "10.0.0.1"); });
  REQUIRE(limited.has_value());
  CHECK(limited->kind() == FailureKind::rate_limited);
  CHECK(limited->retry_after_seconds() > 0);
  CHECK(limited->retry_after_seconds() <= 40);
}

TEST_CASE_FIXTURE(Throttled, "the throttle counts per client") {
  for (int i = 0; i < 3; ++i) {
    CHECK_THROWS(identity->log_in("kim@example.com", "guess", "10.0.0.1"));
  }
  CHECK_FAILURE(FailureKind::rate_limited, "too_many_logins",
                identity->log_in("kim@example.com", "correct horse", "10.0.0.1"));
  auto session = identity->log_in("kim@example.com", "correct horse", "10.0.0.2");
  CHECK(identity->principal(session.token).has_value());
}

TEST_CASE_FIXTURE(Throttled, "the client may try again once its window has passed") {
  for (int i = 0; i < 3; ++i) {
    CHECK_THROWS(identity->log_in("kim@example.com", "guess", "10.0.0.1"));
  }
  clock.advance(59s);
  CHECK_FAILURE(FailureKind::rate_limited, "too_many_logins",
                identity->log_in("kim@example.com", "correct horse", "10.0.0.1"));
  clock.advance(1s);
  CHECK_NOTHROW(identity->log_in("kim@example.com", "correct horse", "10.0.0.1"));
}
