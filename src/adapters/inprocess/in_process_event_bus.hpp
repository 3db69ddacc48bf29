#pragma once

#include <exception>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "application/shared/event_bus.hpp"

namespace shop::inprocess {

// The default bus of a single process: publishing calls every subscriber of
// the event's type, in subscription order, each subject's events in order
// but several subjects at once; then the subscribers of every type, with the
// whole batch at once, on the relay's thread. When any subscriber failed
// as unavailable (its database down or busy), publishing throws that kind
// of Failure: nothing is wrong with the events, and the relay counts the
// delivery against none of them.
class InProcessEventBus final : public EventBus {
 public:
  void publish(const EventEnvelope& event) override;
  void publish_batch(const std::vector<EventEnvelope>& events) override;
  void subscribe(std::string type, std::string consumer, Handler handler) override;
  void subscribe_all(std::string consumer, BatchHandler handler) override;

 private:
  template <class Handler>
  struct Subscription {
    std::string consumer;
    Handler handler;
  };
  static constexpr std::size_t max_lanes = 16;

  // What failed in one delivery: every subscriber's error, and whether one
  // was a Failure(unavailable).
  struct Failures {
    std::string text;
    bool unavailable = false;
    void add(const std::string& consumer, const std::exception& error);
    void add(const Failures& other);
  };

  static Failures deliver_lane(
      const std::unordered_map<std::string, std::vector<Subscription<Handler>>>& by_type,
      const std::vector<const EventEnvelope*>& lane);

  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<Subscription<Handler>>> subscriptions_;
  std::vector<Subscription<BatchHandler>> every_type_;
};

}  // namespace shop::inprocess
