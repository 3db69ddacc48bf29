#include <exception>
#include <set>
#include <string>
#include <utility>

#include "application/webhook/api.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::webhook {

namespace {

// Deliveries sent per pass: the caller loops while a pass sent some, and
// checks its stop token between them.
constexpr std::size_t batch_size = 32;

class WebhookService final : public WebhookApi {
 public:
  explicit WebhookService(WebhookDependencies deps) : deps_(std::move(deps)) {}

  void on_events(const std::vector<EventEnvelope>& events) override {
    if (deps_.subscribers.empty()) return;
    std::size_t queued = 0;
    deps_.store.write([&](WebhookTransaction& tx) {
      queued = 0;
      Timestamp now = deps_.clock.now();
      for (const auto& event : events) {
        for (const auto& subscriber : deps_.subscribers) {
          if (!subscriber.wants(event.type)) continue;
          WebhookDelivery delivery{deps_.ids.next(), subscriber.url, event,
                                   DeliveryStatus::pending, 0, now, "", now, now};
          if (tx.enqueue(delivery)) ++queued;
        }
      }
    });
    if (queued > 0 && deps_.deliveries_queued) deps_.deliveries_queued();
  }

  std::size_t deliver_due(std::stop_token stop) override {
    std::size_t sent = 0;
    // A subscriber that failed once this pass waits for the next: one that
    // is down must not hold the others up, a timeout per delivery.
    std::set<std::string> failing;
    for (const auto& delivery : deps_.store.due(deps_.clock.now(), batch_size)) {
      if (stop.stop_requested()) break;
      if (failing.contains(delivery.subscriber_url)) continue;
      auto outcome = send(delivery);
      if (outcome.result == SendResult::retryable) failing.insert(delivery.subscriber_url);
      record(delivery, outcome);
      ++sent;
    }
    return sent;
  }

  DeadLetterPage dead_letters(const DeadLetterQuery& query) override {
    if (query.limit < 1 || query.limit > max_page_size) {
      throw invalid_field("limit", "must be between 1 and " + std::to_string(max_page_size));
    }
    validate_text(query.cursor, "cursor", 0, 100);
    // One row more than asked tells whether another page exists.
    auto dead = deps_.store.dead(query.cursor, query.limit + 1);
    DeadLetterPage page;
    for (std::size_t i = 0; i < dead.size() && i < query.limit; ++i) page.items.push_back(dead[i]);
    if (dead.size() > query.limit) page.next_cursor = page.items.back().id;
    return page;
  }

  WebhookDelivery redeliver(const std::string& delivery_id) override {
    WebhookDelivery result;
    deps_.store.write([&](WebhookTransaction& tx) {
      auto delivery = tx.find(delivery_id);
      if (!delivery) {
        throw Failure(FailureKind::not_found, "webhook_delivery_not_found",
                      "no webhook delivery with id " + delivery_id);
      }
      if (delivery->status != DeliveryStatus::dead) {
        throw Failure(FailureKind::conflict, "not_a_dead_letter",
                      "webhook delivery " + delivery_id + " is " + to_string(delivery->status) +
                          ", not a dead letter");
      }
      Timestamp now = deps_.clock.now();
      delivery->status = DeliveryStatus::pending;
      delivery->attempts = 0;
      delivery->next_attempt_at = now;
      delivery->updated_at = now;
      tx.save(*delivery);
      result = *delivery;
    });
    if (deps_.deliveries_queued) deps_.deliveries_queued();
    return result;
  }

 private:
  const Subscriber* subscriber_of(const WebhookDelivery& delivery) const {
    for (const auto& subscriber : deps_.subscribers) {
      if (subscriber.url == delivery.subscriber_url) return &subscriber;
    }
    return nullptr;
  }

  SendOutcome send(const WebhookDelivery& delivery) {
    // Queued for a subscriber since removed from the settings: kept for
    // staff, who may add it back and redeliver.
    const Subscriber* subscriber = subscriber_of(delivery);
    if (!subscriber) return {SendResult::rejected, "the subscriber is no longer configured"};
    try {
      return deps_.sender.send(*subscriber, delivery.event);
    } catch (const std::exception& error) {
      return {SendResult::retryable, error.what()};
    }
  }

  // In a transaction of its own, after the call: none is held across it.
  void record(const WebhookDelivery& sent, const SendOutcome& outcome) {
    std::optional<WebhookDelivery> dead;
    deps_.store.write([&](WebhookTransaction& tx) {
      dead.reset();
      auto delivery = tx.find(sent.id);
      // Staff redelivered it meanwhile, or another pass recorded it first.
      if (!delivery || delivery->status != DeliveryStatus::pending ||
          delivery->attempts != sent.attempts) {
        return;
      }
      Timestamp now = deps_.clock.now();
      delivery->attempts += 1;
      delivery->updated_at = now;
      delivery->last_error = outcome.result == SendResult::delivered ? "" : outcome.reason;
      if (outcome.result == SendResult::delivered) {
        delivery->status = DeliveryStatus::delivered;
      } else if (outcome.result == SendResult::rejected ||
                 delivery->attempts >= deps_.retry.max_attempts) {
        delivery->status = DeliveryStatus::dead;
        dead = delivery;
      } else {
        delivery->next_attempt_at =
            now + retry_delay(deps_.retry, delivery->attempts, deps_.random.unit());
      }
      tx.save(*delivery);
    });
    if (dead) {
      deps_.log.write(LogLevel::warn, "webhook delivery is a dead letter",
                      {{"delivery_id", dead->id},
                       {"subscriber", dead->subscriber_url},
                       {"event_id", dead->event.id},
                       {"event_type", dead->event.type},
                       {"attempts", std::int64_t(dead->attempts)},
                       {"error", dead->last_error}});
    }
  }

  WebhookDependencies deps_;
};

}  // namespace

std::unique_ptr<WebhookApi> make_webhook_service(WebhookDependencies dependencies) {
  return std::make_unique<WebhookService>(std::move(dependencies));
}

}  // namespace shop::webhook
