#pragma once

#include <algorithm>

#include "adapters/memory/copy_on_write.hpp"
#include "adapters/memory/event_tables.hpp"
#include "application/shared/outbox.hpp"

namespace shop::memory {

// The base of every in-memory store: it owns the state (which must have an
// `EventTables events` member) and serves it as the module's outbox.
template <class State>
class OutboxStore : public Outbox {
 public:
  std::vector<OutboxRecord> unpublished(std::size_t limit) override {
    return state_.read([&](const State& state) { return state.events.unpublished(limit); });
  }
  void mark_published(std::int64_t sequence) override {
    state_.update_in_place([&](State& state) { state.events.mark_published(sequence); });
  }
  void park(const OutboxRecord& record, const std::string& error, Timestamp now) override {
    state_.update_in_place([&](State& state) { state.events.park(record, error, now); });
  }
  std::vector<ParkedEvent> parked(std::size_t limit) override {
    return state_.read([&](const State& state) {
      const auto& all = state.events.parked;
      return std::vector<ParkedEvent>(all.begin(), all.begin() + std::min(limit, all.size()));
    });
  }
  OutboxBacklog backlog() override {
    return state_.read([](const State& state) {
      const auto& events = state.events;
      OutboxBacklog backlog;
      backlog.unpublished = std::int64_t(events.records.size()) - events.published_up_to;
      if (backlog.unpublished > 0) {
        backlog.oldest_unpublished = events.records[std::size_t(events.published_up_to)].event.time;
      }
      backlog.parked = std::int64_t(events.parked.size());
      return backlog;
    });
  }

 protected:
  CopyOnWrite<State> state_;
};

}  // namespace shop::memory
