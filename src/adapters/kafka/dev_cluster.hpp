#pragma once

#include <string>
#include <vector>

namespace shop::kafka {

// librdkafka's mock cluster: Kafka brokers on real TCP ports inside this
// process, keeping everything in memory. For development and tests only:
// production points at a real Kafka or Redpanda cluster.
class DevCluster {
 public:
  DevCluster(int brokers, const std::vector<std::string>& topics, int partitions);
  ~DevCluster();
  DevCluster(const DevCluster&) = delete;
  DevCluster& operator=(const DevCluster&) = delete;

  // host:port,... for kafka.brokers.
  std::string bootstraps() const;

  struct Handle;

 private:
  Handle* handle_;
};

}  // namespace shop::kafka
