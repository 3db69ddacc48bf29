#include "adapters/kafka/dev_cluster.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <stdexcept>

namespace shop::kafka {

struct DevCluster::Handle {
  rd_kafka_t* host = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
};

DevCluster::DevCluster(int brokers, const std::vector<std::string>& topics, int partitions)
    : handle_(new Handle) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  if (rd_kafka_conf_set(conf, "test.mock.num.brokers", std::to_string(brokers).c_str(), error,
                        sizeof error) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    delete handle_;
    throw std::runtime_error(error);
  }
  handle_->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (!handle_->host) {
    rd_kafka_conf_destroy(conf);
    delete handle_;
    throw std::runtime_error(error);
  }
  handle_->cluster = rd_kafka_handle_mock_cluster(handle_->host);
  for (const auto& topic : topics) {
    rd_kafka_mock_topic_create(handle_->cluster, topic.c_str(), partitions, 1);
  }
}

DevCluster::~DevCluster() {
  rd_kafka_destroy(handle_->host);
  delete handle_;
}

std::string DevCluster::bootstraps() const {
  return rd_kafka_mock_cluster_bootstraps(handle_->cluster);
}

}  // namespace shop::kafka
