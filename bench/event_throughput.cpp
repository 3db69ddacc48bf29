// Event throughput of the Kafka mode (docs/performance.md): events from an
// outbox, through the real relay and producer, to a consumer group on the
// mock cluster `shopbox dev kafka` hosts; beside it the same relay on the
// in-process bus. Prints one JSON object.
//
//   event_throughput [--events N]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/inprocess/in_process_event_bus.hpp"
#include "adapters/kafka/cloudevents_binding.hpp"
#include "adapters/kafka/dev_cluster.hpp"
#include "adapters/kafka/kafka_event_bus.hpp"
#include "adapters/memory/dead_letters.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/shared/outbox_relay.hpp"

using namespace shop;
using Steady = std::chrono::steady_clock;

namespace {

// An outbox holding `count` order.paid events over 1,000 orders, about the
// size of the real ones; nothing else, so that only the bus is measured.
class PreparedOutbox final : public Outbox {
 public:
  explicit PreparedOutbox(std::size_t count) {
    Timestamp time(std::chrono::milliseconds(1'800'000'000'000));
    for (std::size_t i = 0; i < count; ++i) {
      std::string order = "01890a5d-ac96-774b-bcce-" + std::to_string(100'000'000'000 + i % 1000);
      records_.push_back(
          {std::int64_t(i + 1),
           {"event-" + std::to_string(i), "shop.order.paid.v1", "/shopbox/order", order, time,
            R"({"order_id":")" + order +
                R"(","customer_id":"01890a5d-ac96-774b-bcce-5a1f0b2c3d4e","total":{"amount":45000,"currency":"KRW"},"payment_id":"01890a5d-ac96-774b-bcce-5a1f0b2c3d4f","lines":[{"product_id":"p1","quantity":2,"unit_price":{"amount":22500,"currency":"KRW"}}]})"}});
    }
  }
  std::vector<OutboxRecord> unpublished(std::size_t limit) override {
    std::size_t end = std::min(records_.size(), published_ + limit);
    return {records_.begin() + std::ptrdiff_t(published_), records_.begin() + std::ptrdiff_t(end)};
  }
  void mark_published(std::int64_t sequence) override { published_ = std::size_t(sequence); }
  void park(const OutboxRecord&, const std::string& error, Timestamp) override {
    throw std::runtime_error("an event was parked: " + error);
  }
  std::vector<ParkedEvent> parked(std::size_t) override { return {}; }
  OutboxBacklog backlog() override {
    return {std::int64_t(records_.size() - published_), std::nullopt, 0};
  }

 private:
  std::vector<OutboxRecord> records_;
  std::size_t published_ = 0;
};

struct Counted {
  std::atomic<std::size_t> events{0};
  void wait_for(std::size_t count, std::chrono::seconds limit) {
    auto deadline = Steady::now() + limit;
    while (events < count) {
      if (Steady::now() > deadline) throw std::runtime_error("the consumer fell silent");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
};

double seconds_since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

struct Run {
  double publish_seconds;
  double end_to_end_seconds;
};

// Relays everything from a full outbox and waits until the consumer saw it.
// The relay's batches as `shopbox serve` sizes them for that bus.
Run relay_all(EventBus& bus, std::size_t batch_size, Counted& counted, std::size_t count,
              std::size_t already) {
  PreparedOutbox outbox(count);
  memory::ManualClock clock;
  memory::SilentLog log;
  OutboxRelay relay({&outbox}, bus, log, clock, {10, batch_size});
  auto start = Steady::now();
  while (outbox.backlog().unpublished > 0) relay.relay_pending();
  double published = seconds_since(start);
  counted.wait_for(already + count, std::chrono::seconds(120));
  return {published, seconds_since(start)};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 100'000;
  constexpr std::size_t kafka_batch = kafka::KafkaEventBus::relay_batch_size;
  const std::size_t in_process_batch = RelaySettings{}.batch_size;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--events") == 0) count = std::stoul(argv[i + 1]);
  }
  try {
    memory::ManualClock clock;
    memory::SilentLog log;
    memory::MemoryDeadLetters dead_letters;

    kafka::DevCluster cluster(1, {kafka::topic_of("bench", "order")}, 4);
    kafka::KafkaSettings settings{cluster.bootstraps(), "bench", "bench", {},
                                  std::chrono::seconds(30)};
    kafka::ConsumerSettings consumers{{"order"}, 10, std::chrono::seconds(6)};
    kafka::KafkaEventBus publisher(settings, consumers, dead_letters, clock, log);
    kafka::KafkaEventBus consuming(settings, consumers, dead_letters, clock, log);
    Counted on_kafka;
    consuming.subscribe_all("bench", [&](const std::vector<EventEnvelope>& events) {
      on_kafka.events += events.size();
    });
    consuming.start_consumers();
    // Until the consumer group has formed: one event through, not timed.
    relay_all(publisher, kafka_batch, on_kafka, 1, 0);
    Run kafka = relay_all(publisher, kafka_batch, on_kafka, count, 1);
    consuming.stop_consumers();

    inprocess::InProcessEventBus local;
    Counted in_process;
    local.subscribe_all("bench", [&](const std::vector<EventEnvelope>& events) {
      in_process.events += events.size();
    });
    Run local_run = relay_all(local, in_process_batch, in_process, count, 0);

    std::printf(
        "{\"events\": %zu, \"kafka_events_per_second\": %.0f, "
        "\"kafka_publish_events_per_second\": %.0f, \"inprocess_events_per_second\": %.0f}\n",
        count, double(count) / kafka.end_to_end_seconds, double(count) / kafka.publish_seconds,
        double(count) / local_run.end_to_end_seconds);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "event_throughput: %s\n", error.what());
    return 1;
  }
}
