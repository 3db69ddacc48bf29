#pragma once

#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/shared/time.hpp"

// What the webhook module works with: who receives events, and one event on
// its way to one of them.
namespace shop::webhook {

struct Subscriber {
  std::string url;     // http:// or https://; also the subscriber's identity
  std::string secret;  // signs each request; never leaves the process otherwise
  std::vector<std::string> event_types;  // empty or "*": every event

  bool wants(const std::string& type) const;
};

// PENDING until the subscriber answers 2xx (DELIVERED), or it refused the
// event or every attempt failed (DEAD: a dead letter, until staff redeliver).
enum class DeliveryStatus { pending, delivered, dead };
const char* to_string(DeliveryStatus status);
std::optional<DeliveryStatus> delivery_status_from_string(const std::string& text);

struct WebhookDelivery {
  std::string id;
  std::string subscriber_url;
  EventEnvelope event;
  DeliveryStatus status = DeliveryStatus::pending;
  int attempts = 0;           // made since it was queued or last redelivered
  Timestamp next_attempt_at;  // meaningful while pending
  std::string last_error;     // why the last attempt failed; empty when none did
  Timestamp created_at;
  Timestamp updated_at;

  friend bool operator==(const WebhookDelivery&, const WebhookDelivery&) = default;
};

}  // namespace shop::webhook
