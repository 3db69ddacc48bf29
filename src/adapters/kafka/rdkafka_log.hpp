#pragma once

#include <librdkafka/rdkafka.h>

#include "application/shared/log.hpp"

namespace shop::kafka {

// Sends librdkafka's own log lines to `log` (one JSON object per line, like
// every other), instead of its default plain lines on stderr.
inline void route_logs(rd_kafka_conf_t* conf, Log& log) {
  rd_kafka_conf_set_opaque(conf, &log);
  rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t* kafka, int level, const char* facility,
                                    const char* text) {
    auto* log = static_cast<Log*>(rd_kafka_opaque(kafka));
    LogLevel mapped = level <= 3 ? LogLevel::error
                      : level == 4 ? LogLevel::warn
                      : level <= 6 ? LogLevel::info
                                   : LogLevel::debug;
    log->write(mapped, "kafka", {{"facility", facility}, {"detail", text}});
  });
}

}  // namespace shop::kafka
