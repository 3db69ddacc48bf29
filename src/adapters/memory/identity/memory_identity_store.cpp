#include "adapters/memory/identity/memory_identity_store.hpp"

#include "domain/shared/failure.hpp"

namespace shop::memory {

namespace {

using identity::TokenRecord;
using identity::User;

template <class State>
class Transaction final : public identity::IdentityTransaction {
 public:
  explicit Transaction(State& state) : state_(state) {}

  void insert(const User& user) override {
    for (const auto& [id, existing] : state_.users) {
      if (existing.email == user.email) {
        throw Failure(FailureKind::conflict, "email_taken", "this email is already registered");
      }
    }
    state_.users.insert_or_assign(user.id, user);
  }
  void insert(const TokenRecord& token) override {
    state_.tokens.insert_or_assign(token.digest, token);
  }
  void publish(const EventEnvelope& event) override { state_.events.append(event); }

 private:
  State& state_;
};

}  // namespace

void MemoryIdentityStore::write(const std::function<void(identity::IdentityTransaction&)>& work) {
  state_.write([&](MemoryIdentityState& state) {
    Transaction<MemoryIdentityState> transaction(state);
    work(transaction);
  });
}

std::optional<User> MemoryIdentityStore::user_by_id(const std::string& id) {
  return state_.read([&](const MemoryIdentityState& state) -> std::optional<User> {
    auto it = state.users.find(id);
    if (it == state.users.end()) return std::nullopt;
    return it->second;
  });
}

std::optional<User> MemoryIdentityStore::user_by_email(const std::string& normalized_email) {
  return state_.read([&](const MemoryIdentityState& state) -> std::optional<User> {
    for (const auto& [id, user] : state.users) {
      if (user.email == normalized_email) return user;
    }
    return std::nullopt;
  });
}

std::optional<TokenRecord> MemoryIdentityStore::token(const std::string& digest) {
  return state_.read([&](const MemoryIdentityState& state) -> std::optional<TokenRecord> {
    auto it = state.tokens.find(digest);
    if (it == state.tokens.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace shop::memory
