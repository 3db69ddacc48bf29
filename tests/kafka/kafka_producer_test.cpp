#include <doctest/doctest.h>

#include <set>

#include "adapters/kafka/kafka_producer.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/shared/event_bus.hpp"
#include "kafka/mock_cluster.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

constexpr std::int16_t produce_request = 0;  // Kafka's ApiKey of Produce

EventEnvelope event(const std::string& id, const std::string& type, const std::string& subject) {
  return EventEnvelope{id, type, "/shopbox/test", subject,
                       Timestamp(std::chrono::milliseconds(1'800'000'000'000)),
                       R"({"n":")" + id + "\"}"};
}

std::vector<kafka::Message> messages(const std::vector<EventEnvelope>& events) {
  std::vector<kafka::Message> all;
  for (const auto& each : events) all.push_back(kafka::to_message("shop", each));
  return all;
}

struct Cluster {
  testing::MockCluster mock;
  memory::SilentLog log;
  kafka::KafkaSettings settings;
  Cluster() {
    mock.create_topic("shop.order.events", 4);
    mock.create_topic("shop.stock.events", 4);
    settings.brokers = mock.bootstraps();
    // A first send waits for metadata and a producer id: roomy on a busy machine.
    settings.delivery_timeout = 20s;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Cluster, "acknowledged events are on their topics, one aggregate's in order") {
  kafka::KafkaProducer producer(settings, log);
  std::vector<EventEnvelope> events{event("e1", "shop.order.placed.v1", "order-1"),
                                    event("e2", "shop.stock.reserved.v1", "product-1"),
                                    event("e3", "shop.order.paid.v1", "order-1"),
                                    event("e4", "shop.order.placed.v1", "order-2")};
  producer.send(messages(events));

  auto orders = testing::read_topic(mock.bootstraps(), "shop.order.events", 3);
  REQUIRE(orders.size() == 3);
  std::vector<std::string> order_1_ids;
  std::set<int> order_1_partitions;
  for (const auto& received : orders) {
    auto decoded = kafka::from_message(received.headers, received.value);
    CHECK(received.key == decoded.subject);
    if (decoded.subject == "order-1") {
      order_1_ids.push_back(decoded.id);
      order_1_partitions.insert(received.partition);
    }
  }
  CHECK(order_1_ids == std::vector<std::string>{"e1", "e3"});
  CHECK(order_1_partitions.size() == 1);
  auto stock = testing::read_topic(mock.bootstraps(), "shop.stock.events", 1);
  REQUIRE(stock.size() == 1);
  CHECK(kafka::from_message(stock[0].headers, stock[0].value) == events[1]);
}

TEST_CASE_FIXTURE(Cluster, "with the broker down, send gives up as bus unavailable; later it goes") {
  kafka::KafkaProducer producer(settings, log);
  producer.send(messages({event("e1", "shop.order.placed.v1", "order-1")}));
  rd_kafka_mock_broker_set_down(mock.cluster(), 1);
  auto impatient_settings = settings;
  impatient_settings.delivery_timeout = 2s;
  kafka::KafkaProducer impatient(impatient_settings, log);
  CHECK_THROWS_AS(impatient.send(messages({event("e2", "shop.order.paid.v1", "order-1")})),
                  BusUnavailable);
  rd_kafka_mock_broker_set_up(mock.cluster(), 1);
  producer.send(messages({event("e2", "shop.order.paid.v1", "order-1")}));
  // At least once: the first attempt may arrive too, never anything lost.
  auto received = testing::read_topic(mock.bootstraps(), "shop.order.events", 2);
  std::set<std::string> ids;
  for (const auto& each : received) ids.insert(kafka::from_message(each.headers, each.value).id);
  CHECK(ids == std::set<std::string>{"e1", "e2"});
}

TEST_CASE_FIXTURE(Cluster, "a produce error the broker will not retry is reported as bus unavailable") {
  kafka::KafkaProducer producer(settings, log);
  rd_kafka_mock_push_request_errors(mock.cluster(), produce_request, 1,
                                    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  CHECK_THROWS_AS(producer.send(messages({event("e1", "shop.order.placed.v1", "order-1")})),
                  BusUnavailable);
}

TEST_CASE_FIXTURE(Cluster, "an event the brokers refuse as such is its own fault, not the bus's") {
  kafka::KafkaProducer producer(settings, log);
  rd_kafka_mock_push_request_errors(mock.cluster(), produce_request, 1,
                                    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  try {
    producer.send(messages({event("e1", "shop.order.placed.v1", "order-1")}));
    FAIL("the send went through");
  } catch (const BusUnavailable&) {
    FAIL("a message too large was taken for a bus outage: the relay would retry it for ever");
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()).find("too large") != std::string::npos);
  }
}

TEST_CASE("a property librdkafka does not know is refused with its name") {
  memory::SilentLog log;
  kafka::KafkaSettings settings;
  settings.brokers = "127.0.0.1:1";
  settings.properties["sasl.mechanismz"] = "PLAIN";
  CHECK_THROWS_WITH_AS(kafka::KafkaProducer(settings, log), doctest::Contains("sasl.mechanismz"),
                       std::invalid_argument);
}
