#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/inprocess/in_process_event_bus.hpp"
#include "domain/shared/failure.hpp"

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

TEST_CASE("a subscriber whose database is unavailable makes the whole delivery unavailable") {
  inprocess::InProcessEventBus bus;
  bus.subscribe("t.a", "broken", [](const EventEnvelope&) { throw std::runtime_error("disk full"); });
  bus.subscribe("t.a", "waiting", [](const EventEnvelope&) {
    throw Failure::retry_later(FailureKind::unavailable, "database_unavailable", "db down", 1);
  });

  try {
    bus.publish(event("t.a", "e-1"));
    FAIL("publish did not throw");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::unavailable);
    CHECK(std::string(failure.what()).find("disk full") != std::string::npos);
    CHECK(std::string(failure.what()).find("db down") != std::string::npos);
  }
  // Any other Failure is the handler's own: the event may be at fault.
  inprocess::InProcessEventBus other;
  other.subscribe("t.a", "refusing", [](const EventEnvelope&) {
    throw Failure(FailureKind::invalid, "bad_event", "no such product");
  });
  try {
    other.publish(event("t.a", "e-1"));
    FAIL("publish did not throw");
  } catch (const Failure&) {
    FAIL("a Failure other than unavailable is not passed on as one");
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()) == "refusing: no such product");
  }
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

TEST_CASE("a batch's subjects are delivered at once, each subject's events in order") {
  inprocess::InProcessEventBus bus;
  std::mutex mutex;
  std::condition_variable seen;
  bool other_subject_seen = false;
  bool first_waited_for_another = false;
  std::vector<std::string> first_subject;
  bus.subscribe("t.a", "consumer", [&](const EventEnvelope& e) {
    std::unique_lock lock(mutex);
    if (e.subject != "order-0") {
      other_subject_seen = true;
      seen.notify_all();
      return;
    }
    // Sequential delivery would never get past this wait.
    if (e.id == "first") {
      first_waited_for_another =
          seen.wait_for(lock, std::chrono::seconds(5), [&] { return other_subject_seen; });
    }
    first_subject.push_back(e.id);
  });
  auto about = [](std::string subject, std::string id) {
    EventEnvelope envelope = event("t.a", std::move(id));
    envelope.subject = std::move(subject);
    return envelope;
  };
  // Twenty other subjects: at least one lands on another lane than order-0.
  std::vector<EventEnvelope> batch{about("order-0", "first")};
  for (int i = 1; i <= 20; ++i) batch.push_back(about("order-" + std::to_string(i), "x"));
  batch.push_back(about("order-0", "second"));
  bus.publish_batch(batch);
  CHECK(first_waited_for_another);
  CHECK(first_subject == std::vector<std::string>{"first", "second"});
}
