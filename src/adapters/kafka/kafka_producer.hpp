#pragma once

#include <memory>
#include <vector>

#include "adapters/kafka/cloudevents_binding.hpp"
#include "adapters/kafka/kafka_settings.hpp"
#include "application/shared/log.hpp"

namespace shop::kafka {

// An idempotent librdkafka producer (acks from all in-sync replicas, no
// duplicates from its own retries, order kept per partition).
class KafkaProducer {
 public:
  // Throws std::invalid_argument for a property librdkafka refuses.
  KafkaProducer(const KafkaSettings& settings, Log& log);
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Returns once the brokers acknowledged every message. Throws
  // BusUnavailable when the brokers could not take one (away, timed out,
  // refusing the topic), std::runtime_error when one is at fault itself
  // (too large, invalid). Messages still queued then may arrive later:
  // delivery is at least once.
  void send(const std::vector<Message>& messages);

  struct Handle;

 private:
  std::unique_ptr<Handle> handle_;
  KafkaSettings settings_;
};

}  // namespace shop::kafka
