#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "application/shared/event_bus.hpp"

namespace shop::inprocess {

// The default bus of a single process: publishing calls every subscriber of
// the event's type, in subscription order, on the relay's thread.
class InProcessEventBus final : public EventBus {
 public:
  void publish(const EventEnvelope& event) override;
  void subscribe(std::string type, std::string consumer, Handler handler) override;
  void subscribe_all(std::string consumer, Handler handler) override;

 private:
  struct Subscription {
    std::string consumer;
    Handler handler;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<Subscription>> subscriptions_;
  std::vector<Subscription> every_type_;
};

}  // namespace shop::inprocess
