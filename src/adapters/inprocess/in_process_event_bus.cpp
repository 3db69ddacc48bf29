#include "adapters/inprocess/in_process_event_bus.hpp"

#include <set>
#include <stdexcept>

namespace shop::inprocess {

void InProcessEventBus::publish(const EventEnvelope& event) { publish_batch({event}); }

// Every subscriber gets its chance even when an earlier one fails; the
// events are then redelivered to all, which their inboxes make harmless.
void InProcessEventBus::publish_batch(const std::vector<EventEnvelope>& events) {
  std::unordered_map<std::string, std::vector<Subscription<Handler>>> by_type;
  std::vector<Subscription<BatchHandler>> every_type;
  {
    std::lock_guard lock(mutex_);
    by_type = subscriptions_;
    every_type = every_type_;
  }
  std::string failures;
  std::set<std::string> failed;
  auto note = [&](const std::string& consumer, const std::exception& error) {
    failures += (failures.empty() ? "" : "; ") + consumer + ": " + error.what();
    failed.insert(consumer);
  };
  for (const auto& event : events) {
    auto subscribers = by_type.find(event.type);
    if (subscribers == by_type.end()) continue;
    for (const auto& subscriber : subscribers->second) {
      // A consumer that failed gets nothing after: it would see an
      // aggregate's later events before the one it failed on.
      if (failed.contains(subscriber.consumer)) continue;
      try {
        subscriber.handler(event);
      } catch (const std::exception& error) {
        note(subscriber.consumer, error);
      }
    }
  }
  for (const auto& subscriber : every_type) {
    try {
      subscriber.handler(events);
    } catch (const std::exception& error) {
      note(subscriber.consumer, error);
    }
  }
  if (!failures.empty()) throw std::runtime_error(failures);
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
