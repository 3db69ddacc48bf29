#pragma once

#include <cstdint>

namespace shop::system {

// This process as the kernel counts it (/proc/self), for metrics.
struct ProcessStats {
  double cpu_seconds = 0;  // user and system
  std::int64_t resident_bytes = 0;
  std::int64_t open_fds = 0;
  std::int64_t max_fds = 0;
};

ProcessStats read_process_stats();

}  // namespace shop::system
