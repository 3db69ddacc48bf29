#pragma once

#include <cstdio>
#include <mutex>

#include "application/shared/clock.hpp"
#include "application/shared/log.hpp"

namespace shop::log {

// One JSON object per line, for `docker logs`, journald or a log shipper.
class JsonLog final : public Log {
 public:
  JsonLog(const Clock& clock, LogLevel minimum, std::FILE* out = stdout)
      : clock_(clock), minimum_(minimum), out_(out) {}

  void write(LogLevel level, std::string_view message,
             std::initializer_list<LogField> fields = {}) override;

 private:
  const Clock& clock_;
  LogLevel minimum_;
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace shop::log
