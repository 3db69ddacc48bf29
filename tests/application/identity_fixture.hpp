#pragma once

#include <memory>
#include <string>

#include "adapters/memory/identity/memory_identity_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/identity/api.hpp"

namespace shop::testing {

// Transparent stand-ins for argon2id and the random token source.
class FakeHasher final : public identity::PasswordHasher {
 public:
  int hashes = 0;
  std::string hash(const std::string& password) override {
    ++hashes;
    return "hash:" + password;
  }
  bool verify(const std::string& hash, const std::string& password) override {
    return hash == "hash:" + password;
  }
};

class FakeTokens final : public identity::TokenIssuer {
 public:
  std::string new_token() override { return "token-" + std::to_string(++issued_); }
  std::string digest(const std::string& token) override { return "digest:" + token; }

 private:
  int issued_ = 0;
};

struct IdentityFixture {
  memory::MemoryIdentityStore store;
  FakeHasher hasher;
  FakeTokens tokens;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<identity::IdentityApi> identity;

  explicit IdentityFixture(identity::IdentitySettings settings = {})
      : identity(identity::make_identity_service({store, hasher, tokens, clock, ids, settings})) {}

  static identity::Registration kim() { return {"Kim@Example.com", "김민수", "correct horse"}; }
};

}  // namespace shop::testing
