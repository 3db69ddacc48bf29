#pragma once

#include <string>

#include "application/shared/clock.hpp"
#include "application/shared/id_generator.hpp"

// Adapters on libsodium shared by every module: set-up and random ids.
namespace shop::crypto {

// Throws std::runtime_error when libsodium cannot initialise.
void initialise();

// UUIDv7 (RFC 9562): a millisecond timestamp then random bits, so ids sort
// by creation time and cursors over them are stable.
class UuidV7Generator final : public IdGenerator {
 public:
  explicit UuidV7Generator(const Clock& clock) : clock_(clock) {}
  std::string next() override;

 private:
  const Clock& clock_;
};

}  // namespace shop::crypto
