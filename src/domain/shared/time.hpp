#pragma once

#include <chrono>

namespace shop {

// Every timestamp in shopbox: UTC, millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

}  // namespace shop
