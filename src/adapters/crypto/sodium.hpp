#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "application/shared/clock.hpp"
#include "application/shared/id_generator.hpp"

// Adapters on libsodium shared by every module: set-up and random ids.
namespace shop::crypto {

// Throws std::runtime_error when libsodium cannot initialise.
void initialise();

// UUIDv7 (RFC 9562): a millisecond timestamp, a 12-bit counter, then random
// bits. The counter (RFC 9562 method 1) makes ids from one generator sort in
// the order they were made, even within a millisecond or when the clock
// steps back, so ids order by creation and cursors over them are stable.
class UuidV7Generator final : public IdGenerator {
 public:
  explicit UuidV7Generator(const Clock& clock) : clock_(clock) {}
  std::string next() override;

 private:
  const Clock& clock_;
  std::mutex mutex_;
  std::uint64_t last_millis_ = 0;
  std::uint32_t counter_ = 0;
};

}  // namespace shop::crypto
