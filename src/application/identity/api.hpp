#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "application/identity/ports.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/id_generator.hpp"
#include "domain/identity/user.hpp"
#include "domain/shared/time.hpp"

// Identity's facade, and the `TokenLookup` port every module's routes use.
namespace shop::identity {

struct Principal {
  std::string user_id;
  Role role = Role::customer;

  bool is_staff() const { return role == Role::staff; }
};

class TokenLookup {
 public:
  virtual ~TokenLookup() = default;
  // Who holds this bearer token; nullopt when unknown or expired.
  virtual std::optional<Principal> principal(const std::string& token) = 0;
};

struct UserView {
  std::string id;
  std::string email;
  std::string name;
  Role role = Role::customer;
  Timestamp created_at;
};

struct SessionView {
  std::string token;
  Timestamp expires_at;
  UserView user;
};

struct Registration {
  std::string email;
  std::string name;
  std::string password;
};

class IdentityApi : public TokenLookup {
 public:
  // A customer signs up from the address `client`. Failure(invalid),
  // Failure(conflict, "email_taken"), Failure(rate_limited).
  virtual UserView register_customer(const Registration& registration,
                                     const std::string& client) = 0;
  // Any role, for the CLI and the bootstrap setting.
  virtual UserView create_user(const Registration& registration, Role role) = 0;
  // Failure(unauthenticated) on a wrong email or password (the same answer
  // for both), Failure(rate_limited) when `client` tried too often.
  virtual SessionView log_in(const std::string& email, const std::string& password,
                             const std::string& client) = 0;
  virtual std::optional<UserView> user(const std::string& id) = 0;
};

struct IdentitySettings {
  std::chrono::seconds token_ttl{std::chrono::hours(12)};
  int login_attempts_per_minute = 10;
  int registrations_per_minute = 10;
};

struct IdentityDependencies {
  IdentityStore& store;
  PasswordHasher& hasher;
  TokenIssuer& tokens;
  Clock& clock;
  IdGenerator& ids;
  IdentitySettings settings;
};

std::unique_ptr<IdentityApi> make_identity_service(IdentityDependencies dependencies);

}  // namespace shop::identity
