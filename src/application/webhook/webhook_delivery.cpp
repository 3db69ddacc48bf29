#include "application/webhook/webhook_delivery.hpp"

#include <algorithm>

namespace shop::webhook {

bool Subscriber::wants(const std::string& type) const {
  return event_types.empty() ||
         std::any_of(event_types.begin(), event_types.end(),
                     [&type](const std::string& wanted) { return wanted == "*" || wanted == type; });
}

const char* to_string(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending: return "PENDING";
    case DeliveryStatus::delivered: return "DELIVERED";
    case DeliveryStatus::dead: return "DEAD";
  }
  return "PENDING";
}

std::optional<DeliveryStatus> delivery_status_from_string(const std::string& text) {
  for (auto status : {DeliveryStatus::pending, DeliveryStatus::delivered, DeliveryStatus::dead}) {
    if (text == to_string(status)) return status;
  }
  return std::nullopt;
}

}  // namespace shop::webhook
