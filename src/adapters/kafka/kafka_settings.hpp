#pragma once

#include <chrono>
#include <map>
#include <string>

namespace shop::kafka {

struct KafkaSettings {
  std::string brokers;  // bootstrap.servers: host:port,...
  std::string client_id = "shopbox";
  std::string topic_prefix = "shopbox";
  // Passed to librdkafka as they are: security.protocol, sasl.*, ssl.*.
  std::map<std::string, std::string> properties;
  // How long a batch may wait for the brokers' acknowledgements before the
  // relay keeps it and tries again.
  std::chrono::milliseconds delivery_timeout{10000};
};

}  // namespace shop::kafka
