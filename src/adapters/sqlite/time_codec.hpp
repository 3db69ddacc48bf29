#pragma once

#include <cstdint>

#include "domain/shared/time.hpp"

namespace shop::sqlite {

// Timestamps are stored as Unix milliseconds: compact, sortable, exact.
inline std::int64_t to_millis(Timestamp time) { return time.time_since_epoch().count(); }
inline Timestamp from_millis(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

}  // namespace shop::sqlite
