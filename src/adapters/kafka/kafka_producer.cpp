#include "adapters/kafka/kafka_producer.hpp"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>

#include "adapters/kafka/rdkafka_conf.hpp"
#include "application/shared/event_bus.hpp"

namespace shop::kafka {

namespace {

// What the brokers said of one send()'s messages. Shared with librdkafka's
// delivery reports (served by rd_kafka_poll), which may come after send()
// gave up waiting.
struct Deliveries {
  std::mutex mutex;
  std::size_t reported = 0;
  rd_kafka_resp_err_t first_error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  auto* slot = static_cast<std::shared_ptr<Deliveries>*>(message->_private);
  std::shared_ptr<Deliveries> deliveries = std::move(*slot);
  delete slot;
  std::lock_guard lock(deliveries->mutex);
  ++deliveries->reported;
  if (message->err && !deliveries->first_error) deliveries->first_error = message->err;
}

// Errors the event itself causes, which no retry mends: the relay counts
// them against the event and parks it. Anything else (brokers away, a
// timeout, a refused topic) is the bus's trouble and only delays it.
bool is_the_events_fault(rd_kafka_resp_err_t error) {
  switch (error) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_INVALID_MSG:
    case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return true;
    default:
      return false;
  }
}

[[noreturn]] void fail(rd_kafka_resp_err_t error, const std::string& what) {
  std::string message = what + ": " + rd_kafka_err2str(error);
  if (is_the_events_fault(error)) throw std::runtime_error(message);
  throw BusUnavailable(message);
}

}  // namespace

struct KafkaProducer::Handle {
  rd_kafka_t* kafka = nullptr;
};

KafkaProducer::KafkaProducer(const KafkaSettings& settings, Log& log)
    : handle_(std::make_unique<Handle>()), settings_(settings) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set_property(conf, "bootstrap.servers", settings.brokers);
  set_property(conf, "client.id", settings.client_id);
  set_property(conf, "enable.idempotence", "true");
  set_property(conf, "linger.ms", "2");
  // librdkafka gives up on a message when send() does: it is then reported
  // (its slot freed), and a retried batch does not pile up behind it.
  set_property(conf, "message.timeout.ms", std::to_string(settings.delivery_timeout.count()));
  for (const auto& [name, value] : settings.properties) set_property(conf, name, value);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  route_logs(conf, log);
  char error[512];
  handle_->kafka = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (!handle_->kafka) {
    rd_kafka_conf_destroy(conf);
    throw std::invalid_argument(std::string("kafka producer: ") + error);
  }
}

KafkaProducer::~KafkaProducer() {
  rd_kafka_flush(handle_->kafka, int(settings_.delivery_timeout.count()));
  rd_kafka_destroy(handle_->kafka);
}

void KafkaProducer::send(const std::vector<Message>& messages) {
  auto deliveries = std::make_shared<Deliveries>();
  auto deadline = std::chrono::steady_clock::now() + settings_.delivery_timeout;
  for (const auto& message : messages) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(message.headers.size());
    for (const auto& [name, value] : message.headers) {
      rd_kafka_header_add(headers, name.data(), ssize_t(name.size()), value.data(),
                          ssize_t(value.size()));
    }
    auto* slot = new std::shared_ptr<Deliveries>(deliveries);
    for (;;) {
      rd_kafka_resp_err_t error = rd_kafka_producev(
          handle_->kafka, RD_KAFKA_V_TOPIC(message.topic.c_str()),
          RD_KAFKA_V_KEY(message.key.data(), message.key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(message.value.data()), message.value.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
          RD_KAFKA_V_OPAQUE(slot), RD_KAFKA_V_END);
      if (error == RD_KAFKA_RESP_ERR_NO_ERROR) break;  // the headers are librdkafka's now
      if (error == RD_KAFKA_RESP_ERR__QUEUE_FULL && std::chrono::steady_clock::now() < deadline) {
        rd_kafka_poll(handle_->kafka, 10);  // serves delivery reports, which frees room
        continue;
      }
      rd_kafka_headers_destroy(headers);
      delete slot;
      fail(error, "kafka refused an event");
    }
  }
  std::size_t sent = messages.size();
  while (std::chrono::steady_clock::now() < deadline) {
    rd_kafka_poll(handle_->kafka, 5);
    std::lock_guard lock(deliveries->mutex);
    if (deliveries->first_error) fail(deliveries->first_error, "kafka did not take an event");
    if (deliveries->reported == sent) return;
  }
  throw BusUnavailable("kafka did not acknowledge the events within the delivery timeout");
}

}  // namespace shop::kafka
