#pragma once

#include <librdkafka/rdkafka.h>

#include <stdexcept>
#include <string>

#include "application/shared/log.hpp"

namespace shop::kafka {

// Sets one librdkafka property; a refused one destroys `conf` and throws
// std::invalid_argument naming it.
inline void set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    throw std::invalid_argument("kafka property " + name + ": " + error);
  }
}

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
