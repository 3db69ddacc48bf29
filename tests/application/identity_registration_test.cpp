#include <doctest/doctest.h>

#include "application/identity/events.hpp"
#include "domain/failure_check.hpp"
#include "identity_fixture.hpp"
#include "outbox_reading.hpp"

using namespace shop;
using namespace shop::testing;

TEST_CASE_FIXTURE(IdentityFixture, "register creates a customer with a normalized email") {
  auto user = identity->register_customer(kim(), "test-client");
  CHECK_FALSE(user.id.empty());
  CHECK(user.email == "kim@example.com");
  CHECK(user.name == "김민수");
  CHECK(user.role == identity::Role::customer);
  CHECK(user.created_at == clock.now());

  auto read = identity->user(user.id);
  REQUIRE(read.has_value());
  CHECK(read->email == "kim@example.com");
  CHECK_FALSE(identity->user("nobody").has_value());
}

TEST_CASE_FIXTURE(IdentityFixture, "only the password hash is stored") {
  auto user = identity->register_customer(kim(), "test-client");
  auto stored = store.user_by_id(user.id);
  REQUIRE(stored.has_value());
  CHECK(stored->password_hash == "hash:correct horse");
}

TEST_CASE_FIXTURE(IdentityFixture, "register appends UserRegistered") {
  auto user = identity->register_customer(kim(), "test-client");
  auto events = pending_events(store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "shop.identity.user_registered.v1");
  CHECK(events[0].source == "/shopbox/identity");
  CHECK(events[0].subject == user.id);
  CHECK(events[0].time == user.created_at);
  CHECK(identity::decode_user_registered(events[0].data) ==
        identity::UserRegistered{user.id, "kim@example.com", "김민수", "customer"});
}

TEST_CASE_FIXTURE(IdentityFixture, "an email is taken whatever its case") {
  identity->register_customer(kim(), "test-client");
  auto again = kim();
  again.email = "KIM@example.COM";
  again.name = "Another Kim";
  CHECK_FAILURE(FailureKind::conflict, "email_taken", identity->register_customer(again, "test-client"));
  CHECK_FAILURE(FailureKind::conflict, "email_taken",
                identity->create_user(again, identity::Role::staff));
  CHECK(pending_events(store).size() == 1);
  CHECK_FALSE(store.user_by_email("kim@example.com")->name == "Another Kim");
}

TEST_CASE_FIXTURE(IdentityFixture, "a taken email is refused before any hashing") {
  identity->register_customer(kim(), "test-client");
  REQUIRE(hasher.hashes == 1);
  auto again = kim();
  again.email = "KIM@example.COM";
  CHECK_FAILURE(FailureKind::conflict, "email_taken", identity->register_customer(again, "test-client"));
  // As the bootstrap staff user is created at every start.
  CHECK_FAILURE(FailureKind::conflict, "email_taken",
                identity->create_user(again, identity::Role::staff));
  CHECK(hasher.hashes == 1);
}

TEST_CASE_FIXTURE(IdentityFixture, "invalid registrations are refused before any hashing") {
  auto bad = kim();
  bad.email = "not-an-email";
  CHECK_INVALID_FIELD("email", identity->register_customer(bad, "test-client"));
  bad = kim();
  bad.password = "short";
  CHECK_INVALID_FIELD("password", identity->register_customer(bad, "test-client"));
  bad = kim();
  bad.name = "";
  CHECK_INVALID_FIELD("name", identity->register_customer(bad, "test-client"));
  CHECK(hasher.hashes == 0);
  CHECK(pending_events(store).empty());
}

TEST_CASE_FIXTURE(IdentityFixture, "create_user may make staff") {
  auto staff = identity->create_user({"boss@shop.example", "Boss", "staff password"},
                                     identity::Role::staff);
  CHECK(staff.role == identity::Role::staff);
  auto events = pending_events(store);
  REQUIRE(events.size() == 1);
  CHECK(identity::decode_user_registered(events[0].data).role == "staff");
}
