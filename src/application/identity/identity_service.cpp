#include <mutex>
#include <utility>

#include "application/identity/api.hpp"
#include "application/identity/events.hpp"
#include "application/identity/client_throttle.hpp"
#include "domain/shared/failure.hpp"

namespace shop::identity {

namespace {

UserView view_of(const User& user) {
  return UserView{user.id, user.email, user.name, user.role, user.created_at};
}

Failure email_taken() {
  return Failure(FailureKind::conflict, "email_taken", "this email is already registered");
}

Failure bad_credentials() {
  return Failure(FailureKind::unauthenticated, "invalid_credentials",
                 "the email or password is wrong");
}

class IdentityService final : public IdentityApi {
 public:
  explicit IdentityService(IdentityDependencies deps)
      : deps_(std::move(deps)),
        logins_(deps_.settings.login_attempts_per_minute),
        registrations_(deps_.settings.registrations_per_minute) {}

  UserView register_customer(const Registration& registration,
                             const std::string& client) override {
    // Each sign-up costs an argon2 hash: limit them like logins.
    if (int wait = registrations_.attempt(client, deps_.clock.now())) {
      throw Failure::retry_later(FailureKind::rate_limited, "too_many_registrations",
                                 "too many sign-ups from this address; try again later", wait);
    }
    return create_user(registration, Role::customer);
  }

  UserView create_user(const Registration& registration, Role role) override {
    validate_password(registration.password);
    // Validate before hashing: a bad email should not cost an argon2 run.
    User user = User::create(deps_.ids.next(), registration.email, registration.name, role, "",
                             deps_.clock.now());
    // Nor a taken one (the bootstrap staff user's, at every start). The
    // store's unique email stays the guard against a concurrent sign-up.
    if (deps_.store.user_by_email(user.email)) throw email_taken();
    user.password_hash = deps_.hasher.hash(registration.password);
    deps_.store.write([&](IdentityTransaction& tx) {
      tx.insert(user);
      tx.publish(make_envelope(UserRegistered{user.id, user.email, user.name, to_string(role)},
                               deps_.ids.next(), user.created_at));
    });
    return view_of(user);
  }

  SessionView log_in(const std::string& email, const std::string& password,
                     const std::string& client) override {
    Timestamp now = deps_.clock.now();
    if (int wait = logins_.attempt(client, now)) {
      throw Failure::retry_later(FailureKind::rate_limited, "too_many_logins",
                                 "too many login attempts; try again later", wait);
    }
    std::optional<User> user;
    try {
      user = deps_.store.user_by_email(normalize_email(email));
    } catch (const Failure&) {
      throw bad_credentials();
    }
    if (password.size() > 1024) throw bad_credentials();
    // Verify against a real hash even for an unknown email, so the answer
    // takes as long and does not tell which emails are registered.
    const std::string& hash = user ? user->password_hash : decoy_hash();
    if (!deps_.hasher.verify(hash, password) || !user) throw bad_credentials();

    TokenRecord record{"", user->id, now + std::chrono::duration_cast<std::chrono::milliseconds>(
                                              deps_.settings.token_ttl),
                       now};
    std::string token = deps_.tokens.new_token();
    record.digest = deps_.tokens.digest(token);
    deps_.store.write([&](IdentityTransaction& tx) { tx.insert(record); });
    return SessionView{token, record.expires_at, view_of(*user)};
  }

  std::optional<UserView> user(const std::string& id) override {
    auto found = deps_.store.user_by_id(id);
    if (!found) return std::nullopt;
    return view_of(*found);
  }

  std::optional<Principal> principal(const std::string& token) override {
    if (token.empty() || token.size() > 200) return std::nullopt;
    auto record = deps_.store.token(deps_.tokens.digest(token));
    if (!record || record->expires_at <= deps_.clock.now()) return std::nullopt;
    auto found = deps_.store.user_by_id(record->user_id);
    if (!found) return std::nullopt;
    return Principal{found->id, found->role};
  }

 private:
  const std::string& decoy_hash() {
    std::call_once(decoy_once_, [this] { decoy_ = deps_.hasher.hash("decoy password"); });
    return decoy_;
  }

  IdentityDependencies deps_;
  ClientThrottle logins_;
  ClientThrottle registrations_;
  std::once_flag decoy_once_;
  std::string decoy_;
};

}  // namespace

std::unique_ptr<IdentityApi> make_identity_service(IdentityDependencies dependencies) {
  return std::make_unique<IdentityService>(std::move(dependencies));
}

}  // namespace shop::identity
