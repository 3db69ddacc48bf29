#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/kafka/cloudevents_binding.hpp"

namespace shop::testing {

// librdkafka's mock cluster: real brokers on real TCP ports, in this
// process, with failures to inject.
class MockCluster {
 public:
  explicit MockCluster(int brokers = 1) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    rd_kafka_conf_set(conf, "test.mock.num.brokers", std::to_string(brokers).c_str(), error,
                      sizeof error);
    host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!host_) throw std::runtime_error(error);
    cluster_ = rd_kafka_handle_mock_cluster(host_);
  }
  ~MockCluster() { rd_kafka_destroy(host_); }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }
  void create_topic(const std::string& topic, int partitions) {
    rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
  }

 private:
  rd_kafka_t* host_;
  rd_kafka_mock_cluster_t* cluster_;
};

struct Received {
  std::string topic;
  int partition;
  std::string key;
  std::string value;
  kafka::Headers headers;
};

// Reads `topic` from its start until `count` messages arrived or `limit`
// passed, as any Kafka consumer would.
inline std::vector<Received> read_topic(const std::string& bootstraps, const std::string& topic,
                                        std::size_t count,
                                        std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  std::map<std::string, std::string> settings{{"bootstrap.servers", bootstraps},
                                              {"group.id", "test-reader-" + topic},
                                              {"auto.offset.reset", "earliest"},
                                              {"enable.auto.commit", "false"}};
  for (const auto& [name, value] : settings) {
    rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error);
  }
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);

  std::vector<Received> received;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (received.size() < count && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 100);
    if (!message) continue;
    if (!message->err) {
      Received one{rd_kafka_topic_name(message->rkt), message->partition,
                   std::string(static_cast<const char*>(message->key), message->key_len),
                   std::string(static_cast<const char*>(message->payload), message->len),
                   {}};
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i) {
          one.headers.emplace_back(name, std::string(static_cast<const char*>(value), size));
        }
      }
      received.push_back(std::move(one));
    }
    rd_kafka_message_destroy(message);
  }
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  return received;
}

}  // namespace shop::testing
