#include <doctest/doctest.h>

#include "domain/shared/failure.hpp"
#include "sqlite/store_fixtures.hpp"

using namespace shop;
using identity::Role;
using identity::TokenRecord;
using identity::User;

namespace {
Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }
}  // namespace

TEST_CASE_TEMPLATE("identity store: users by id and email, emails unique", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  User kim = User::create("u1", "Kim@Shop.kr", "김철수", Role::staff, "hash", at(5));
  stores.identity.write([&](identity::IdentityTransaction& tx) { tx.insert(kim); });
  auto by_email = stores.identity.user_by_email("kim@shop.kr");
  REQUIRE(by_email);
  CHECK(by_email->id == "u1");
  CHECK(by_email->name == "김철수");
  CHECK(by_email->role == Role::staff);
  CHECK(by_email->password_hash == "hash");
  CHECK(stores.identity.user_by_id("u1")->email == "kim@shop.kr");
  CHECK_FALSE(stores.identity.user_by_id("u2"));

  User twin = User::create("u2", "kim@shop.kr", "Other", Role::customer, "x", at(6));
  try {
    stores.identity.write([&](identity::IdentityTransaction& tx) { tx.insert(twin); });
    FAIL("the same email was registered twice");
  } catch (const Failure& failure) {
    CHECK(failure.code() == "email_taken");
  }
}

TEST_CASE_TEMPLATE("identity store: tokens are found by digest", Stores, testing::MemoryStores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.identity.write([&](identity::IdentityTransaction& tx) {
    tx.insert(User::create("u1", "a@b.kr", "A", Role::customer, "h", at(0)));
    tx.insert(TokenRecord{"digest-1", "u1", at(5000), at(1000)});
  });
  auto token = stores.identity.token("digest-1");
  REQUIRE(token);
  CHECK(token->user_id == "u1");
  CHECK(token->expires_at == at(5000));
  CHECK_FALSE(stores.identity.token("digest-2"));
}
