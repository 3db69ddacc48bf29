#include <doctest/doctest.h>

#include "adapters/kafka/cloudevents_binding.hpp"
#include "application/shared/event_json.hpp"

using namespace shop;

namespace {

EventEnvelope paid() {
  return EventEnvelope{"0190c5a0-0000-7000-8000-000000000001", "shop.order.paid.v1",
                       "/shopbox/order", "order-1",
                       Timestamp(std::chrono::milliseconds(1'800'000'000'123)),
                       R"({"order_id":"order-1","total":{"amount":2000,"currency":"KRW"}})"};
}

std::string header(const kafka::Message& message, const std::string& name) {
  for (const auto& [key, value] : message.headers) {
    if (key == name) return value;
  }
  return "(missing)";
}

}  // namespace

TEST_CASE("an event becomes a binary-mode CloudEvents message on its module's topic") {
  auto message = kafka::to_message("shop1", paid());
  CHECK(message.topic == "shop1.order.events");
  CHECK(message.key == "order-1");
  CHECK(message.value == paid().data);
  CHECK(header(message, "ce_specversion") == "1.0");
  CHECK(header(message, "ce_id") == paid().id);
  CHECK(header(message, "ce_type") == "shop.order.paid.v1");
  CHECK(header(message, "ce_source") == "/shopbox/order");
  CHECK(header(message, "ce_subject") == "order-1");
  CHECK(header(message, "ce_time") == "2027-01-15T08:00:00.123Z");
  CHECK(header(message, "content-type") == "application/json");
  CHECK(kafka::from_message(message.headers, message.value) == paid());
}

TEST_CASE("a message that is not a shopbox event in that binding is refused") {
  auto message = kafka::to_message("shop1", paid());
  auto without = [&](const std::string& name) {
    kafka::Headers kept;
    for (const auto& header : message.headers) {
      if (header.first != name) kept.push_back(header);
    }
    return kept;
  };
  for (const char* name : {"ce_id", "ce_type", "ce_source", "ce_subject", "ce_time",
                           "ce_specversion"}) {
    CAPTURE(name);
    CHECK_THROWS_AS(kafka::from_message(without(name), message.value), MalformedEnvelope);
  }
  CHECK_THROWS_AS(kafka::from_message(message.headers, "not json"), MalformedEnvelope);
  auto xml = message.headers;
  xml.back().second = "application/xml";
  CHECK_THROWS_AS(kafka::from_message(xml, message.value), MalformedEnvelope);
  auto other_version = without("ce_specversion");
  other_version.emplace_back("ce_specversion", "0.3");
  CHECK_THROWS_AS(kafka::from_message(other_version, message.value), MalformedEnvelope);
}

TEST_CASE("the module is read off the event type") {
  auto event = paid();
  CHECK(kafka::module_of(event.type) == "order");
  event.type = "com.example.order.paid";
  CHECK_THROWS_AS(kafka::module_of(event.type), MalformedEnvelope);
  event.type = "shop..paid.v1";
  CHECK_THROWS_AS(kafka::module_of(event.type), MalformedEnvelope);
}
