#include "adapters/crypto/identity/sodium_credentials.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "domain/shared/failure.hpp"

namespace shop::crypto {

Argon2Settings argon2_preset(const std::string& strength, int concurrency) {
  if (strength == "interactive") {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE, concurrency};
  }
  if (strength == "moderate") {
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE, concurrency};
  }
  if (strength == "sensitive") {
    return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE, concurrency};
  }
  if (strength == "minimum") {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, concurrency};
  }
  throw std::invalid_argument("unknown password hash strength: " + strength);
}

class Argon2PasswordHasher::Slot {
 public:
  Slot(std::counting_semaphore<>& slots, std::chrono::milliseconds timeout) : slots_(slots) {
    if (!slots_.try_acquire_for(timeout)) {
      throw Failure::retry_later(FailureKind::unavailable, "busy",
                                 "too many sign-ins at once; try again shortly", 1);
    }
  }
  ~Slot() { slots_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

Argon2PasswordHasher::Argon2PasswordHasher(Argon2Settings settings)
    : settings_(settings), slots_(settings.concurrency < 1 ? 1 : settings.concurrency) {}

std::string Argon2PasswordHasher::hash(const std::string& password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  Slot slot(slots_, settings_.queue_timeout);
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), settings_.operations,
                            settings_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id ran out of memory");
  }
  return std::string(out.data());
}

bool Argon2PasswordHasher::verify(const std::string& hash, const std::string& password) {
  Slot slot(slots_, settings_.queue_timeout);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string SodiumTokenIssuer::new_token() {
  std::array<unsigned char, 32> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(text.data());
}

std::string SodiumTokenIssuer::digest(const std::string& token) {
  std::array<unsigned char, 32> hash;
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return std::string(hex.data());
}

}  // namespace shop::crypto
