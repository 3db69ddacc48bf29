#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "application/shared/event.hpp"

namespace shop {

struct OutboxRecord {
  std::int64_t sequence = 0;
  EventEnvelope event;
};

// One module's outbox: events written in the same transaction as the state
// change that caused them, waiting to be relayed to the bus.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // The oldest unpublished events, in commit order.
  virtual std::vector<OutboxRecord> unpublished(std::size_t limit) = 0;
  // Marks every event up to and including `sequence` as published.
  virtual void mark_published(std::int64_t sequence) = 0;
};

}  // namespace shop
