#include "adapters/crypto/sodium.hpp"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace shop::crypto {

void initialise() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string UuidV7Generator::next() {
  std::array<unsigned char, 16> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  auto now = static_cast<std::uint64_t>(clock_.now().time_since_epoch().count());
  std::uint64_t millis;
  std::uint32_t counter;
  {
    std::lock_guard lock(mutex_);
    if (now > last_millis_) {
      // A new millisecond: the counter starts low and random, leaving room to count.
      last_millis_ = now;
      counter_ = (std::uint32_t(bytes[6]) << 8 | bytes[7]) & 0x7FF;
    } else if (++counter_ > 0xFFF) {
      // The counter ran out (or the clock stepped back): borrow the next millisecond.
      ++last_millis_;
      counter_ = 0;
    }
    millis = last_millis_;
    counter = counter_;
  }
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(millis >> (40 - 8 * i));
  bytes[6] = static_cast<unsigned char>(0x70 | (counter >> 8));  // version 7, counter high bits
  bytes[7] = static_cast<unsigned char>(counter & 0xFF);
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3F));  // RFC 9562 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

}  // namespace shop::crypto
