#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "application/shared/outbox.hpp"

namespace shop::testing {

// Every unpublished event of an outbox, in commit order.
inline std::vector<EventEnvelope> pending_events(Outbox& outbox) {
  std::vector<EventEnvelope> events;
  for (auto& record : outbox.unpublished(100'000)) events.push_back(record.event);
  return events;
}

inline std::vector<EventEnvelope> pending_events(Outbox& outbox, std::string_view type) {
  std::vector<EventEnvelope> events;
  for (auto& event : pending_events(outbox)) {
    if (event.type == type) events.push_back(event);
  }
  return events;
}

inline std::vector<std::string> types_of(const std::vector<EventEnvelope>& events) {
  std::vector<std::string> types;
  for (const auto& event : events) types.push_back(event.type);
  return types;
}

}  // namespace shop::testing
