#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"

namespace shop {

struct OutboxRecord {
  std::int64_t sequence = 0;
  EventEnvelope event;
};

// An event whose handlers kept failing, set aside for staff.
struct ParkedEvent {
  OutboxRecord record;
  std::string error;
  Timestamp parked_at;
};

// What an outbox holds back: for metrics and alerts.
struct OutboxBacklog {
  std::int64_t unpublished = 0;
  std::optional<Timestamp> oldest_unpublished;  // its event's time
  std::int64_t parked = 0;
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
  // Sets the oldest unpublished event aside with the error it caused, and
  // marks it published so that the events after it flow again.
  virtual void park(const OutboxRecord& record, const std::string& error, Timestamp now) = 0;
  // Parked events, oldest first.
  virtual std::vector<ParkedEvent> parked(std::size_t limit) = 0;
  virtual OutboxBacklog backlog() = 0;
};

}  // namespace shop
