#pragma once

#include <chrono>
#include <cstdint>

namespace shop {

// Every timestamp in shopbox: UTC, millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Unix milliseconds, as databases and the wire keep them: compact, exact.
inline std::int64_t unix_millis(Timestamp time) { return time.time_since_epoch().count(); }
inline Timestamp from_unix_millis(std::int64_t millis) {
  return Timestamp(std::chrono::milliseconds(millis));
}

}  // namespace shop
