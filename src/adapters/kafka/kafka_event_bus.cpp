#include "adapters/kafka/kafka_event_bus.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <tuple>

#include "adapters/kafka/rdkafka_conf.hpp"
#include "application/shared/event_json.hpp"
#include "domain/shared/failure.hpp"

namespace shop::kafka {

namespace {

constexpr std::size_t batch_limit = 256;

// `from_now`: a group of one process's, that starts at the end of the log.
rd_kafka_t* new_consumer(const KafkaSettings& settings, const ConsumerSettings& consumer,
                         const std::string& group, bool from_now, Log& log) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  route_logs(conf, log);
  char error[512];
  auto session = consumer.session_timeout.count();
  std::map<std::string, std::string> chosen{
      {"bootstrap.servers", settings.brokers},
      {"client.id", settings.client_id},
      {"group.id", group},
      {"enable.auto.commit", "false"},
      {"auto.offset.reset", from_now ? "latest" : "earliest"},
      {"session.timeout.ms", std::to_string(session)},
      {"heartbeat.interval.ms", std::to_string(std::min<std::int64_t>(3000, session / 3))}};
  for (const auto& [name, value] : settings.properties) chosen[name] = value;
  for (const auto& [name, value] : chosen) set_property(conf, name, value);
  rd_kafka_t* kafka = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (!kafka) {
    rd_kafka_conf_destroy(conf);
    throw std::invalid_argument(std::string("kafka consumer: ") + error);
  }
  rd_kafka_poll_set_consumer(kafka);
  return kafka;
}

Headers headers_of(const rd_kafka_message_t* message) {
  Headers all;
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return all;
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i) {
    all.emplace_back(name, value ? std::string(static_cast<const char*>(value), size) : "");
  }
  return all;
}

struct Polled {
  rd_kafka_message_t* message;
  std::optional<EventEnvelope> event;  // none: not a shopbox event
};

}  // namespace

struct KafkaEventBus::Consumer {
  std::string name;
  Subscriptions subscriptions;
  rd_kafka_t* kafka = nullptr;
  std::jthread thread;
};

KafkaEventBus::KafkaEventBus(KafkaSettings settings, ConsumerSettings consumer_settings,
                             DeadLetters& dead_letters, const Clock& clock, Log& log)
    : settings_(std::move(settings)),
      consumer_settings_(std::move(consumer_settings)),
      dead_letters_(dead_letters),
      clock_(clock),
      log_(log),
      producer_(settings_, log),
      instance_(fmt::format("{:016x}", std::random_device{}() * 0x100000000ull ^ std::random_device{}())) {}

KafkaEventBus::~KafkaEventBus() { stop_consumers(); }

void KafkaEventBus::publish(const EventEnvelope& event) { publish_batch({event}); }

void KafkaEventBus::publish_batch(const std::vector<EventEnvelope>& events) {
  std::vector<Message> messages;
  messages.reserve(events.size());
  for (const auto& event : events) messages.push_back(to_message(settings_.topic_prefix, event));
  producer_.send(messages);
}

void KafkaEventBus::subscribe(std::string type, std::string consumer, Handler handler) {
  std::lock_guard lock(mutex_);
  subscriptions_[std::move(consumer)].by_type[std::move(type)].push_back(std::move(handler));
}

void KafkaEventBus::subscribe_all(std::string consumer, BatchHandler handler) {
  std::lock_guard lock(mutex_);
  subscriptions_[std::move(consumer)].every_type.push_back(std::move(handler));
}

void KafkaEventBus::subscribe_in_this_process(std::string consumer, BatchHandler handler) {
  std::lock_guard lock(mutex_);
  auto& subscriptions = subscriptions_[std::move(consumer)];
  subscriptions.every_type.push_back(std::move(handler));
  subscriptions.this_process_only = true;
}

namespace {

// One consumer group's loop: poll a batch, hand it to the handlers, commit.
class ConsumerLoop {
 public:
  ConsumerLoop(KafkaEventBus::Consumer& consumer, const ConsumerSettings& settings,
               DeadLetters& dead_letters, const Clock& clock, Log& log)
      : consumer_(consumer), settings_(settings), dead_letters_(dead_letters), clock_(clock),
        log_(log) {}

  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      auto batch = poll();
      if (batch.empty()) continue;
      try {
        deliver(batch, stop);
      } catch (const std::exception& error) {
        // Not a handler (theirs are retried, then set aside): the dead
        // letters' store. The batch is read again after a pause.
        log_.write(LogLevel::error, "kafka consumer pass failed",
                   {{"consumer", consumer_.name}, {"error", error.what()}});
        rewind(batch.begin(), batch.end());
        pause(settings_.max_backoff, stop);
      }
      for (auto& polled : batch) rd_kafka_message_destroy(polled.message);
    }
  }

 private:
  using Position = std::pair<std::string, std::int32_t>;  // topic, partition
  using Batch = std::vector<Polled>;

  static Position position_of(const rd_kafka_message_t* message) {
    return {rd_kafka_topic_name(message->rkt), message->partition};
  }

  std::vector<Polled> poll() {
    std::vector<Polled> batch;
    int wait_ms = 200;
    while (batch.size() < batch_limit) {
      rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_.kafka, wait_ms);
      if (!message) break;
      wait_ms = 0;
      if (message->err) {
        // The brokers' trouble, not an event's: librdkafka retries on its own.
        log_.write(LogLevel::warn, "kafka consumer error",
                   {{"consumer", consumer_.name}, {"error", rd_kafka_message_errstr(message)}});
        rd_kafka_message_destroy(message);
        continue;
      }
      Polled polled{message, std::nullopt};
      try {
        polled.event = from_message(
            headers_of(message),
            std::string_view(static_cast<const char*>(message->payload), message->len));
      } catch (const MalformedEnvelope& error) {
        log_.write(LogLevel::error, "kafka message is not a shopbox event; skipped",
                   {{"consumer", consumer_.name},
                    {"topic", rd_kafka_topic_name(message->rkt)},
                    {"partition", std::int64_t(message->partition)},
                    {"offset", std::int64_t(message->offset)},
                    {"error", error.what()}});
      }
      batch.push_back(polled);
    }
    return batch;
  }

  void handle(const std::vector<EventEnvelope>& events) {
    for (const auto& event : events) {
      auto handlers = consumer_.subscriptions.by_type.find(event.type);
      if (handlers == consumer_.subscriptions.by_type.end()) continue;
      for (const auto& handler : handlers->second) handler(event);
    }
    for (const auto& handler : consumer_.subscriptions.every_type) handler(events);
  }

  // The whole batch at once; on a failure, event by event. An event that
  // fails is read again later: its partition seeks back to it and the loop
  // pauses for a backoff, so that it keeps polling (a member that stops
  // polling for max.poll.interval.ms loses its partitions). After
  // max_attempts the event is set aside and the partition goes on.
  void deliver(const Batch& batch, std::stop_token stop) {
    std::vector<EventEnvelope> events;
    for (const auto& polled : batch) {
      if (polled.event) events.push_back(*polled.event);
    }
    try {
      if (!events.empty()) handle(events);
      commit(batch.begin(), batch.end());
      backoff_ = settings_.first_backoff;
      return;
    } catch (const std::exception&) {
      // Found below, one event at a time; the inboxes absorb the repeats.
    }
    std::set<Position> held_back;
    for (auto polled = batch.begin(); polled != batch.end(); ++polled) {
      auto position = position_of(polled->message);
      if (held_back.contains(position)) continue;  // comes again after the one that failed
      if (!polled->event || handled_or_set_aside(*polled)) {
        commit(polled, polled + 1);
        continue;
      }
      rewind(polled, polled + 1);
      held_back.insert(position);
    }
    if (held_back.empty()) {
      backoff_ = settings_.first_backoff;
      return;
    }
    pause(backoff_, stop);
    backoff_ = std::min(backoff_ * 2, settings_.max_backoff);
  }

  // True once handled, or failed a last time and set aside.
  bool handled_or_set_aside(const Polled& polled) {
    const EventEnvelope& event = *polled.event;
    auto key = std::make_tuple(position_of(polled.message), polled.message->offset);
    try {
      handle({event});
      attempts_.erase(key);
      return true;
    } catch (const std::exception& error) {
      // The handler's database is down or busy: no fault of this event's,
      // so it waits, with the backoff, without nearing the dead letters.
      if (is_unavailable(error)) {
        log_.write(LogLevel::warn, "event handler unavailable; will retry",
                   {{"consumer", consumer_.name},
                    {"event_id", event.id},
                    {"error", error.what()}});
        return false;
      }
      int attempt = ++attempts_[key];
      if (attempt < settings_.max_attempts) {
        log_.write(LogLevel::warn, "event handler failed; will retry",
                   {{"consumer", consumer_.name},
                    {"event_id", event.id},
                    {"event_type", event.type},
                    {"attempt", std::int64_t(attempt)},
                    {"error", error.what()}});
        return false;
      }
      dead_letters_.park({0, consumer_.name, event, error.what(), clock_.now()});
      attempts_.erase(key);
      log_.write(LogLevel::error, "event set aside as a dead letter",
                 {{"consumer", consumer_.name},
                  {"event_id", event.id},
                  {"event_type", event.type},
                  {"attempts", std::int64_t(attempt)},
                  {"error", error.what()}});
      return true;
    }
  }

  void pause(std::chrono::milliseconds length, std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any never;
    std::unique_lock lock(mutex);
    never.wait_for(lock, stop, length, [] { return false; });
  }

  // Makes each partition of the messages in [first, last) read again from
  // the earliest of them.
  void rewind(Batch::const_iterator first, Batch::const_iterator last) {
    std::map<Position, std::int64_t> earliest;
    for (auto polled = first; polled != last; ++polled) {
      auto [entry, added] =
          earliest.try_emplace(position_of(polled->message), polled->message->offset);
      if (!added) entry->second = std::min(entry->second, polled->message->offset);
    }
    rd_kafka_topic_partition_list_t* offsets =
        rd_kafka_topic_partition_list_new(int(earliest.size()));
    for (const auto& [position, offset] : earliest) {
      rd_kafka_topic_partition_list_add(offsets, position.first.c_str(), position.second)->offset =
          offset;
    }
    if (rd_kafka_error_t* error = rd_kafka_seek_partitions(consumer_.kafka, offsets, 5000)) {
      log_.write(LogLevel::warn, "kafka seek failed; the group's last commit is where it resumes",
                 {{"consumer", consumer_.name}, {"error", rd_kafka_error_string(error)}});
      rd_kafka_error_destroy(error);
    }
    rd_kafka_topic_partition_list_destroy(offsets);
  }

  // Commits past the messages in [first, last): the next offset of each
  // partition they touch.
  void commit(Batch::const_iterator first, Batch::const_iterator last) {
    if (consumer_.subscriptions.this_process_only) return;
    std::map<Position, std::int64_t> next;
    for (auto polled = first; polled != last; ++polled) {
      auto& offset = next[position_of(polled->message)];
      offset = std::max(offset, polled->message->offset + 1);
    }
    if (next.empty()) return;
    rd_kafka_topic_partition_list_t* offsets = rd_kafka_topic_partition_list_new(int(next.size()));
    for (const auto& [partition, offset] : next) {
      rd_kafka_topic_partition_list_add(offsets, partition.first.c_str(), partition.second)
          ->offset = offset;
    }
    rd_kafka_resp_err_t error = rd_kafka_commit(consumer_.kafka, offsets, 0);
    rd_kafka_topic_partition_list_destroy(offsets);
    if (error) {
      // Handled but not committed: redelivered after a rebalance, which the
      // inboxes make harmless.
      log_.write(LogLevel::warn, "kafka offset commit failed",
                 {{"consumer", consumer_.name}, {"error", rd_kafka_err2str(error)}});
    }
  }

  KafkaEventBus::Consumer& consumer_;
  const ConsumerSettings& settings_;
  DeadLetters& dead_letters_;
  const Clock& clock_;
  Log& log_;
  std::chrono::milliseconds backoff_ = settings_.first_backoff;
  // Failed deliveries by message. Kept in memory: a restart grants a
  // failing event a few more tries, no more.
  std::map<std::tuple<Position, std::int64_t>, int> attempts_;
};

}  // namespace

bool KafkaEventBus::redeliver(const DeadLetter& letter) {
  std::vector<Handler> handlers;
  std::vector<BatchHandler> batch_handlers;
  {
    std::lock_guard lock(mutex_);
    auto found = subscriptions_.find(letter.consumer);
    if (found == subscriptions_.end() || found->second.this_process_only) return false;
    if (auto typed = found->second.by_type.find(letter.event.type);
        typed != found->second.by_type.end()) {
      handlers = typed->second;
    }
    batch_handlers = found->second.every_type;
  }
  for (const auto& handler : handlers) handler(letter.event);
  for (const auto& handler : batch_handlers) handler({letter.event});
  return !handlers.empty() || !batch_handlers.empty();
}

void KafkaEventBus::start_consumers() {
  std::lock_guard lock(mutex_);
  for (const auto& [name, subscriptions] : subscriptions_) {
    auto consumer = std::make_unique<Consumer>();
    consumer->name = name;
    consumer->subscriptions = subscriptions;
    std::string group = settings_.topic_prefix + "." + name;
    if (subscriptions.this_process_only) group += "." + instance_;
    consumer->kafka =
        new_consumer(settings_, consumer_settings_, group, subscriptions.this_process_only, log_);
    std::set<std::string> modules;
    if (subscriptions.every_type.empty()) {
      for (const auto& [type, handlers] : subscriptions.by_type) {
        modules.insert(module_of(type));
      }
    } else {
      modules.insert(consumer_settings_.modules.begin(), consumer_settings_.modules.end());
    }
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(int(modules.size()));
    for (const auto& module : modules) {
      rd_kafka_topic_partition_list_add(topics, topic_of(settings_.topic_prefix, module).c_str(),
                                        RD_KAFKA_PARTITION_UA);
    }
    rd_kafka_resp_err_t error = rd_kafka_subscribe(consumer->kafka, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (error) {
      rd_kafka_destroy(consumer->kafka);
      throw std::runtime_error("kafka subscribe for " + name + ": " + rd_kafka_err2str(error));
    }
    auto* raw = consumer.get();
    raw->thread = std::jthread([this, raw](std::stop_token stop) {
      ConsumerLoop(*raw, consumer_settings_, dead_letters_, clock_, log_).run(stop);
    });
    consumers_.push_back(std::move(consumer));
  }
}

void KafkaEventBus::stop_consumers() {
  std::lock_guard lock(mutex_);
  for (auto& consumer : consumers_) consumer->thread.request_stop();
  for (auto& consumer : consumers_) {
    consumer->thread.join();
    rd_kafka_consumer_close(consumer->kafka);
    rd_kafka_destroy(consumer->kafka);
  }
  consumers_.clear();
}

}  // namespace shop::kafka
