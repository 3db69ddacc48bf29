#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/kafka/kafka_producer.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/dead_letters.hpp"
#include "application/shared/event_bus.hpp"
#include "application/shared/log.hpp"

namespace shop::kafka {

struct ConsumerSettings {
  // Every module that publishes: a consumer of every event reads all their
  // topics.
  std::vector<std::string> modules;
  // Deliveries of one event to one consumer before it is a dead letter.
  int max_attempts = 10;
  // A consuming process that stops answering loses its partitions after this.
  std::chrono::milliseconds session_timeout{45000};
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
};

// The event bus on Kafka. publish() hands events to the brokers (the
// outbox relay marks them published once acknowledged). Each consumer
// named in subscribe() is a consumer group of its own (<prefix>.<consumer>)
// reading every module's topic; an event is committed only after the
// consumer's handlers returned (their transactions committed), so delivery
// is at least once and the consumers' inboxes make it exactly-once in
// effect. An event a consumer keeps failing on becomes a dead letter after
// bounded retries; the events after it go on.
class KafkaEventBus final : public EventBus {
 public:
  // Events the relay should hand over at once: each publish_batch waits for
  // the brokers' acknowledgement, a round trip whatever its size.
  static constexpr std::size_t relay_batch_size = 2048;

  KafkaEventBus(KafkaSettings settings, ConsumerSettings consumer_settings, DeadLetters& dead_letters,
                const Clock& clock, Log& log);
  ~KafkaEventBus() override;

  void publish(const EventEnvelope& event) override;
  void publish_batch(const std::vector<EventEnvelope>& events) override;
  void subscribe(std::string type, std::string consumer, Handler handler) override;
  void subscribe_all(std::string consumer, BatchHandler handler) override;
  // Every event from now on, in this process whatever the others do: a
  // consumer group of its own, never committed (a cache to keep fresh).
  void subscribe_in_this_process(std::string consumer, BatchHandler handler);

  // Hands a dead letter's event to its consumer's handlers again, in the
  // calling thread; throws what they throw. False when no handler of that
  // consumer in this process takes the event.
  bool redeliver(const DeadLetter& letter);

  // Starts one consumer thread per consumer subscribed so far.
  void start_consumers();
  // Stops them, after the batch each is handling.
  void stop_consumers();

  struct Consumer;

 private:
  struct Subscriptions {
    std::map<std::string, std::vector<Handler>> by_type;
    std::vector<BatchHandler> every_type;
    bool this_process_only = false;
  };

  KafkaSettings settings_;
  ConsumerSettings consumer_settings_;
  DeadLetters& dead_letters_;
  const Clock& clock_;
  Log& log_;
  KafkaProducer producer_;
  std::mutex mutex_;
  std::map<std::string, Subscriptions> subscriptions_;
  std::vector<std::unique_ptr<Consumer>> consumers_;
  std::string instance_;  // names this process's own consumer groups
};

}  // namespace shop::kafka
