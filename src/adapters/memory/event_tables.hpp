#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "application/shared/outbox.hpp"

namespace shop::memory {

// The in-memory twin of a module's outbox and inbox tables; it lives inside
// the store's state so that it commits and rolls back with it.
struct EventTables {
  std::vector<OutboxRecord> records;
  std::int64_t published_up_to = 0;
  std::set<std::pair<std::string, std::string>> handled;

  void append(const EventEnvelope& event) {
    records.push_back(OutboxRecord{std::int64_t(records.size()) + 1, event});
  }
  bool first_delivery(const std::string& consumer, const std::string& event_id) {
    return handled.emplace(consumer, event_id).second;
  }
  std::vector<OutboxRecord> unpublished(std::size_t limit) const {
    std::vector<OutboxRecord> pending;
    for (std::size_t i = std::size_t(published_up_to); i < records.size() && pending.size() < limit;
         ++i) {
      pending.push_back(records[i]);
    }
    return pending;
  }
  void mark_published(std::int64_t sequence) {
    if (sequence > published_up_to) published_up_to = sequence;
  }
  void park(const OutboxRecord& record, const std::string& error, Timestamp now) {
    parked.push_back(ParkedEvent{record, error, now});
    mark_published(record.sequence);
  }

  std::vector<ParkedEvent> parked;
};

}  // namespace shop::memory
