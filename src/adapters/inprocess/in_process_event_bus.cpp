#include "adapters/inprocess/in_process_event_bus.hpp"

#include <stdexcept>

namespace shop::inprocess {

void InProcessEventBus::publish(const EventEnvelope& event) {
  std::vector<Subscription> subscribers;
  {
    std::lock_guard lock(mutex_);
    auto it = subscriptions_.find(event.type);
    if (it != subscriptions_.end()) subscribers = it->second;
    subscribers.insert(subscribers.end(), every_type_.begin(), every_type_.end());
  }
  // Every subscriber gets its chance even when an earlier one fails; the
  // event is then redelivered to all, which their inboxes make harmless.
  std::string failures;
  for (const auto& subscriber : subscribers) {
    try {
      subscriber.handler(event);
    } catch (const std::exception& error) {
      failures += (failures.empty() ? "" : "; ") + subscriber.consumer + ": " + error.what();
    }
  }
  if (!failures.empty()) throw std::runtime_error(failures);
}

void InProcessEventBus::subscribe_all(std::string consumer, Handler handler) {
  std::lock_guard lock(mutex_);
  every_type_.push_back({std::move(consumer), std::move(handler)});
}

void InProcessEventBus::subscribe(std::string type, std::string consumer, Handler handler) {
  std::lock_guard lock(mutex_);
  subscriptions_[std::move(type)].push_back({std::move(consumer), std::move(handler)});
}

}  // namespace shop::inprocess
