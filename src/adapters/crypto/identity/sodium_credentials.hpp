#pragma once

#include <chrono>
#include <cstddef>
#include <semaphore>
#include <string>

#include "application/identity/ports.hpp"

// Identity's credentials on libsodium: argon2id passwords, bearer tokens.
namespace shop::crypto {

struct Argon2Settings {
  // libsodium's "interactive" limits: about 64 MiB and tens of ms per hash.
  unsigned long long operations = 2;
  std::size_t memory_bytes = 64u << 20;
  // Hashes computed at once; more callers wait, so a burst of logins costs
  // at most this many times the memory above.
  int concurrency = 2;
  // A caller that waited this long gets 503 with Retry-After instead.
  std::chrono::milliseconds queue_timeout{3000};
};

// "interactive", "moderate", "sensitive" (libsodium's presets) or "minimum"
// (fast, for tests only); std::invalid_argument otherwise.
Argon2Settings argon2_preset(const std::string& strength, int concurrency);

class Argon2PasswordHasher final : public identity::PasswordHasher {
 public:
  explicit Argon2PasswordHasher(Argon2Settings settings);
  std::string hash(const std::string& password) override;
  bool verify(const std::string& hash, const std::string& password) override;

 private:
  // Holds one of the hashing slots for its lifetime.
  class Slot;

  Argon2Settings settings_;
  std::counting_semaphore<> slots_;
};

// 256-bit random tokens (base64url), digested with BLAKE2b-256 (hex).
class SodiumTokenIssuer final : public identity::TokenIssuer {
 public:
  std::string new_token() override;
  std::string digest(const std::string& token) override;
};

}  // namespace shop::crypto
