#pragma once

#include <cstdint>

#include "domain/shared/time.hpp"

namespace shop::sqlite {

// Timestamps are stored as Unix milliseconds: compact, sortable, exact.
inline std::int64_t to_millis(Timestamp time) { return unix_millis(time); }
inline Timestamp from_millis(std::int64_t millis) { return from_unix_millis(millis); }

}  // namespace shop::sqlite
