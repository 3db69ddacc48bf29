#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"

namespace shop {

// An event a consumer kept failing on, set aside so that the events after
// it flow again, for staff to see and redeliver.
struct DeadLetter {
  std::int64_t sequence = 0;  // set by the store: how staff name it
  std::string consumer;
  EventEnvelope event;
  std::string error;
  Timestamp parked_at;
};

class DeadLetters {
 public:
  virtual ~DeadLetters() = default;
  virtual void park(const DeadLetter& letter) = 0;
  // Oldest first.
  virtual std::vector<DeadLetter> list(std::size_t limit) = 0;
  virtual std::optional<DeadLetter> find(std::int64_t sequence) = 0;
  // Forgets it, once redelivered.
  virtual void discard(std::int64_t sequence) = 0;
};

}  // namespace shop
