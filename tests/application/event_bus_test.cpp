#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/inprocess/in_process_event_bus.hpp"

using namespace shop;

namespace {

EventEnvelope event(std::string type, std::string id) {
  EventEnvelope envelope;
  envelope.id = std::move(id);
  envelope.type = std::move(type);
  return envelope;
}

}  // namespace

TEST_CASE("the bus calls the subscribers of a type, in subscription order") {
  inprocess::InProcessEventBus bus;
  std::vector<std::string> calls;
  bus.subscribe("t.a", "first", [&](const EventEnvelope& e) { calls.push_back("first:" + e.id); });
  bus.subscribe("t.b", "other", [&](const EventEnvelope& e) { calls.push_back("other:" + e.id); });
  bus.subscribe("t.a", "second", [&](const EventEnvelope& e) { calls.push_back("second:" + e.id); });

  bus.publish(event("t.a", "e-1"));
  CHECK(calls == std::vector<std::string>{"first:e-1", "second:e-1"});
  bus.publish(event("t.b", "e-2"));
  CHECK(calls.back() == "other:e-2");
  CHECK(calls.size() == 3);
}

TEST_CASE("an event nobody subscribed to is published without error") {
  inprocess::InProcessEventBus bus;
  CHECK_NOTHROW(bus.publish(event("t.none", "e-1")));
}

TEST_CASE("a failing subscriber does not stop the others, and publish reports it") {
  inprocess::InProcessEventBus bus;
  std::vector<std::string> calls;
  bus.subscribe("t.a", "broken", [&](const EventEnvelope&) {
    calls.push_back("broken");
    throw std::runtime_error("disk full");
  });
  bus.subscribe("t.a", "healthy", [&](const EventEnvelope&) { calls.push_back("healthy"); });

  std::string message;
  try {
    bus.publish(event("t.a", "e-1"));
  } catch (const std::exception& error) {
    message = error.what();
  }
  CHECK(calls == std::vector<std::string>{"broken", "healthy"});
  CHECK(message.find("broken") != std::string::npos);
  CHECK(message.find("disk full") != std::string::npos);
}

TEST_CASE("a subscriber of every type gets every event, after the type's own subscribers") {
  inprocess::InProcessEventBus bus;
  std::vector<std::string> calls;
  bus.subscribe_all("log", [&](const std::vector<EventEnvelope>& events) {
    for (const auto& e : events) calls.push_back("log:" + e.type);
  });
  bus.subscribe("t.a", "a", [&](const EventEnvelope& e) { calls.push_back("a:" + e.type); });
  bus.publish(event("t.a", "1"));
  bus.publish(event("t.b", "2"));
  CHECK(calls == std::vector<std::string>{"a:t.a", "log:t.a", "log:t.b"});
}

TEST_CASE("a batch reaches each typed subscriber event by event, and every-type ones at once") {
  inprocess::InProcessEventBus bus;
  std::vector<std::string> calls;
  bus.subscribe_all("log", [&](const std::vector<EventEnvelope>& events) {
    calls.push_back("log:" + std::to_string(events.size()));
  });
  bus.subscribe("t.a", "a", [&](const EventEnvelope& e) { calls.push_back("a:" + e.id); });
  bus.publish_batch({event("t.a", "1"), event("t.b", "2"), event("t.a", "3")});
  CHECK(calls == std::vector<std::string>{"a:1", "a:3", "log:3"});
}
