#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "application/webhook/ports.hpp"

namespace shop::memory {

// A webhook sender for tests: answers with the scripted outcomes in order,
// then with the fallback, and records what it was asked to send.
class ScriptedWebhookSender final : public webhook::WebhookSender {
 public:
  struct Sent {
    std::string subscriber_url;
    std::string event_id;
  };

  explicit ScriptedWebhookSender(
      webhook::SendOutcome fallback = {webhook::SendResult::delivered, "HTTP 200"})
      : fallback_(std::move(fallback)) {}

  void script(std::vector<webhook::SendOutcome> outcomes) {
    std::lock_guard lock(mutex_);
    scripted_.insert(scripted_.end(), outcomes.begin(), outcomes.end());
  }

  webhook::SendOutcome send(const webhook::Subscriber& subscriber,
                            const EventEnvelope& event) override {
    std::lock_guard lock(mutex_);
    sent_.push_back({subscriber.url, event.id});
    if (scripted_.empty()) return fallback_;
    auto outcome = scripted_.front();
    scripted_.pop_front();
    return outcome;
  }

  std::vector<Sent> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  webhook::SendOutcome fallback_;
  std::deque<webhook::SendOutcome> scripted_;
  std::vector<Sent> sent_;
};

}  // namespace shop::memory
