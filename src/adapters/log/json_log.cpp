#include "adapters/log/json_log.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <type_traits>

#include "application/shared/json_fields.hpp"
#include "domain/shared/text.hpp"

namespace shop::log {

namespace {
constexpr const char* level_names[] = {"debug", "info", "warn", "error"};
}

void JsonLog::write(LogLevel level, std::string_view message,
                    std::initializer_list<LogField> fields) {
  if (level < minimum_) return;
  boost::json::object line;
  line["time"] = json::format_time(clock_.now());
  line["level"] = level_names[static_cast<int>(level)];
  line["message"] = to_valid_utf8(message);
  for (const auto& field : fields) {
    std::visit(
        [&](const auto& value) {
          // Fields may carry client bytes (a request target): keep lines valid UTF-8.
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string_view>) {
            line[field.key] = to_valid_utf8(value);
          } else {
            line[field.key] = value;
          }
        },
        field.value);
  }
  std::string text = boost::json::serialize(line);
  text += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace shop::log
