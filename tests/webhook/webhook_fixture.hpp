#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/memory/test_doubles.hpp"
#include "adapters/memory/webhook/memory_webhook_store.hpp"
#include "adapters/memory/webhook/scripted_webhook_sender.hpp"
#include "application/webhook/api.hpp"

namespace shop::testing {

// The webhook service on the memory store, a manual clock, fixed jitter
// and a scripted sender, unless a test passes its own sender (and the clock
// that sender reads).
struct WebhookFixture {
  memory::ManualClock own_clock;
  memory::ManualClock& clock;
  memory::SequentialIds ids{"wh-"};
  memory::SilentLog log;
  memory::FixedRandom random{0.5};
  memory::MemoryWebhookStore store;
  memory::ScriptedWebhookSender scripted;
  int queued_signals = 0;
  std::unique_ptr<webhook::WebhookApi> api;

  explicit WebhookFixture(std::vector<webhook::Subscriber> subscribers,
                          webhook::RetryPolicy retry = {}, webhook::WebhookSender* sender = nullptr,
                          memory::ManualClock* sender_clock = nullptr)
      : clock(sender_clock ? *sender_clock : own_clock),
        api(webhook::make_webhook_service({store, sender ? *sender : scripted, clock, ids, random,
                                           log, std::move(subscribers), retry,
                                           [this] { ++queued_signals; }})) {}

  EventEnvelope event(const std::string& id, const std::string& type = "shop.order.paid.v1") {
    return EventEnvelope{id,      type, "/shopbox/order", "order-1", clock.now(),
                         R"({"order_id":"order-1","amount":{"amount":4500,"currency":"KRW"}})"};
  }

  // Every delivery still pending, whenever due.
  std::vector<webhook::WebhookDelivery> pending() {
    return store.due(clock.now() + std::chrono::hours(24 * 365), 1000);
  }

  std::size_t deliver() { return api->deliver_due(std::stop_token{}); }

  webhook::WebhookDelivery only_pending() {
    auto all = pending();
    if (all.size() != 1) throw std::logic_error("expected one pending delivery");
    return all.front();
  }

  webhook::WebhookDelivery reread(const webhook::WebhookDelivery& delivery) {
    auto found = store.find(delivery.id);
    if (!found) throw std::logic_error("delivery " + delivery.id + " vanished");
    return *found;
  }
};

}  // namespace shop::testing
