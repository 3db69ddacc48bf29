#pragma once

#include <functional>
#include <optional>
#include <string>

#include "application/shared/event.hpp"
#include "domain/identity/user.hpp"
#include "domain/shared/time.hpp"

namespace shop::identity {

// A bearer token as stored: only its digest, never the token itself, so a
// leaked database does not leak sessions.
struct TokenRecord {
  std::string digest;
  std::string user_id;
  Timestamp expires_at;
  Timestamp created_at;
};

class IdentityTransaction {
 public:
  virtual ~IdentityTransaction() = default;
  // Throws Failure(conflict, "email_taken") when the email is registered.
  virtual void insert(const User& user) = 0;
  virtual void insert(const TokenRecord& token) = 0;
  virtual void publish(const EventEnvelope& event) = 0;
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(IdentityTransaction&)>& work) = 0;
  virtual std::optional<User> user_by_id(const std::string& id) = 0;
  virtual std::optional<User> user_by_email(const std::string& normalized_email) = 0;
  // The token's user when the digest is known, whatever its expiry.
  virtual std::optional<TokenRecord> token(const std::string& digest) = 0;
};

// argon2id in production. Hashing is deliberately slow and memory-hungry;
// the adapter bounds how many run at once.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string hash(const std::string& password) = 0;
  virtual bool verify(const std::string& hash, const std::string& password) = 0;
};

// Bearer tokens: random enough to be unguessable, digested fast enough that
// checking one on every request costs microseconds.
class TokenIssuer {
 public:
  virtual ~TokenIssuer() = default;
  virtual std::string new_token() = 0;
  virtual std::string digest(const std::string& token) = 0;
};

}  // namespace shop::identity
