#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/log.hpp"
#include "application/shared/paging.hpp"
#include "application/shared/random.hpp"
#include "application/webhook/ports.hpp"
#include "application/webhook/retry_policy.hpp"
#include "application/webhook/webhook_delivery.hpp"

// The webhook module's facade: every event a subscriber asked for is POSTed
// to it, at least once, with the event id to de-duplicate by.
namespace shop::webhook {

struct DeadLetterQuery {
  std::string cursor;  // empty: from the newest
  std::size_t limit = default_page_size;
};

struct DeadLetterPage {
  std::vector<WebhookDelivery> items;
  std::optional<std::string> next_cursor;
};

class WebhookApi {
 public:
  virtual ~WebhookApi() = default;
  // Consumer of every event, a relay batch at a time: queues one delivery
  // per event and subscriber that wants its type, in one transaction, due
  // at once. Sends nothing itself, so that a slow subscriber never holds up
  // the relay (and the saga behind it). A redelivered event queues nothing
  // again.
  virtual void on_events(const std::vector<EventEnvelope>& events) = 0;
  // Background work: sends the deliveries due now, each outside any
  // transaction, and records what came of it: DELIVERED on 2xx, DEAD on a
  // refusal (any other 4xx) or once max_attempts failed, else retried after
  // a backoff. A subscriber whose delivery failed gets no more this pass.
  // Stops early when `stop` is requested. Returns how many were sent, so
  // that the caller may go on while there are more.
  virtual std::size_t deliver_due(std::stop_token stop) = 0;
  // Dead letters, newest first. Failure(invalid) for a bad limit or cursor.
  virtual DeadLetterPage dead_letters(const DeadLetterQuery& query) = 0;
  // Queues a dead letter again: PENDING, due now, with its attempts reset.
  // Failure(not_found) for an unknown id, Failure(conflict) when it is not
  // a dead letter.
  virtual WebhookDelivery redeliver(const std::string& delivery_id) = 0;
};

struct WebhookDependencies {
  WebhookStore& store;
  WebhookSender& sender;
  Clock& clock;
  IdGenerator& ids;
  RandomSource& random;
  Log& log;
  std::vector<Subscriber> subscribers;
  RetryPolicy retry;
  // Told when deliveries were queued, so that whoever runs `deliver_due`
  // runs it now rather than at its next period. May be empty.
  std::function<void()> deliveries_queued;
};

std::unique_ptr<WebhookApi> make_webhook_service(WebhookDependencies dependencies);

}  // namespace shop::webhook
