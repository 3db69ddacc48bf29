#include "adapters/inprocess/in_process_event_bus.hpp"

#include <functional>
#include <set>
#include <stdexcept>
#include <thread>

#include "domain/shared/failure.hpp"

namespace shop::inprocess {

void InProcessEventBus::publish(const EventEnvelope& event) { publish_batch({event}); }

// Events of one subject (an aggregate) are delivered in order, each on its
// lane; lanes run at once, so that the consumers' writes share commits
// instead of waiting for one commit each (a batch of 256 orders paid meant
// 256 delivery writes one after another, slower than orders arrived).
// Every subscriber gets its chance even when another fails; the events are
// then redelivered to all, which their inboxes make harmless.
void InProcessEventBus::publish_batch(const std::vector<EventEnvelope>& events) {
  std::unordered_map<std::string, std::vector<Subscription<Handler>>> by_type;
  std::vector<Subscription<BatchHandler>> every_type;
  {
    std::lock_guard lock(mutex_);
    by_type = subscriptions_;
    every_type = every_type_;
  }
  std::vector<std::vector<const EventEnvelope*>> lanes(max_lanes);
  for (const auto& event : events) {
    if (by_type.contains(event.type)) {
      lanes[std::hash<std::string>{}(event.subject) % max_lanes].push_back(&event);
    }
  }
  std::erase_if(lanes, [](const auto& lane) { return lane.empty(); });
  std::vector<Failures> lanes_failed(lanes.size());
  {
    std::vector<std::jthread> others;
    for (std::size_t i = 1; i < lanes.size(); ++i) {
      others.emplace_back([&, i] { lanes_failed[i] = deliver_lane(by_type, lanes[i]); });
    }
    if (!lanes.empty()) lanes_failed[0] = deliver_lane(by_type, lanes[0]);
  }
  Failures failures;
  for (const auto& lane : lanes_failed) failures.add(lane);
  for (const auto& subscriber : every_type) {
    try {
      subscriber.handler(events);
    } catch (const std::exception& error) {
      failures.add(subscriber.consumer, error);
    }
  }
  if (failures.unavailable) {
    throw Failure::retry_later(FailureKind::unavailable, "consumer_unavailable", failures.text, 1);
  }
  if (!failures.text.empty()) throw std::runtime_error(failures.text);
}

void InProcessEventBus::Failures::add(const std::string& consumer, const std::exception& error) {
  text += (text.empty() ? "" : "; ") + consumer + ": " + error.what();
  if (is_unavailable(error)) unavailable = true;
}

void InProcessEventBus::Failures::add(const Failures& other) {
  if (other.text.empty()) return;
  text += (text.empty() ? "" : "; ") + other.text;
  unavailable = unavailable || other.unavailable;
}

InProcessEventBus::Failures InProcessEventBus::deliver_lane(
    const std::unordered_map<std::string, std::vector<Subscription<Handler>>>& by_type,
    const std::vector<const EventEnvelope*>& lane) {
  Failures failures;
  std::set<std::string> failed;
  for (const auto* event : lane) {
    for (const auto& subscriber : by_type.at(event->type)) {
      // A consumer that failed gets nothing more of this lane: it would see
      // an aggregate's later events before the one it failed on.
      if (failed.contains(subscriber.consumer)) continue;
      try {
        subscriber.handler(*event);
      } catch (const std::exception& error) {
        failures.add(subscriber.consumer, error);
        failed.insert(subscriber.consumer);
      }
    }
  }
  return failures;
}

void InProcessEventBus::subscribe_all(std::string consumer, BatchHandler handler) {
  std::lock_guard lock(mutex_);
  every_type_.push_back({std::move(consumer), std::move(handler)});
}

void InProcessEventBus::subscribe(std::string type, std::string consumer, Handler handler) {
  std::lock_guard lock(mutex_);
  subscriptions_[std::move(type)].push_back({std::move(consumer), std::move(handler)});
}

}  // namespace shop::inprocess
