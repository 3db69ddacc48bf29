#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "application/webhook/webhook_delivery.hpp"

// What the webhook module needs from the outside world; adapters implement these.
namespace shop::webhook {

// The work of one write transaction: all or nothing. Adapters serialise
// writers, so what `find` returns cannot change before commit.
class WebhookTransaction {
 public:
  virtual ~WebhookTransaction() = default;
  // Adds the delivery as given. False, with nothing written, when one for
  // the same event id and subscriber URL exists: decided by a unique key,
  // so a redelivered event is queued once.
  virtual bool enqueue(const WebhookDelivery& delivery) = 0;
  virtual std::optional<WebhookDelivery> find(const std::string& delivery_id) = 0;
  // Replaces the delivery with the same id.
  virtual void save(const WebhookDelivery& delivery) = 0;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(WebhookTransaction&)>& work) = 0;
  virtual std::optional<WebhookDelivery> find(const std::string& delivery_id) = 0;
  // PENDING deliveries whose next attempt is due by `now`, most overdue first.
  virtual std::vector<WebhookDelivery> due(Timestamp now, std::size_t limit) = 0;
  // DEAD deliveries with ids below `before_id` (empty: from the newest),
  // newest (highest id) first.
  virtual std::vector<WebhookDelivery> dead(const std::string& before_id, std::size_t limit) = 0;
};

enum class SendResult {
  delivered,  // 2xx
  retryable,  // no answer in time, a transport failure, 5xx, 408 or 429
  rejected,   // any other answer: the subscriber's final word on this event
};

struct SendOutcome {
  SendResult result = SendResult::retryable;
  std::string reason;  // for staff: "HTTP 503", "timed out after 5000 ms"
};

// POSTs one event to one subscriber, signed with its secret. Returns what
// came of it rather than throwing for anything the network or the
// subscriber does; may throw for a bug, which the caller counts as retryable.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual SendOutcome send(const Subscriber& subscriber, const EventEnvelope& event) = 0;
};

}  // namespace shop::webhook
