#include "application/shared/outbox_relay.hpp"

#include <algorithm>
#include <exception>

#include "domain/shared/failure.hpp"

namespace shop {

namespace {
constexpr std::chrono::milliseconds max_backoff{5000};
}  // namespace

bool ends_pass(const std::exception& error) {
  return dynamic_cast<const BusUnavailable*>(&error) || is_unavailable(error);
}

OutboxRelay::OutboxRelay(std::vector<Outbox*> outboxes, EventBus& bus, Log& log,
                         const Clock& clock, RelaySettings settings)
    : outboxes_(std::move(outboxes)), bus_(bus), log_(log), clock_(clock), settings_(settings) {}

bool OutboxRelay::deliver(Outbox& outbox, const OutboxRecord& record) {
  try {
    bus_.publish(record.event);
    attempts_.erase({&outbox, record.sequence});
    return true;
  } catch (const BusUnavailable&) {
    throw;  // no event is at fault, and no other would go
  } catch (const std::exception& error) {
    if (is_unavailable(error)) {
      // A handler's database is down or busy: no fault of this event's. It
      // holds its outbox, counted against nothing; the other outboxes go on.
      log_.write(LogLevel::warn, "event handler unavailable; will retry",
                 {{"event_id", record.event.id},
                  {"event_type", record.event.type},
                  {"error", error.what()}});
      return false;
    }
    int attempts = ++attempts_[{&outbox, record.sequence}];
    if (attempts < settings_.max_attempts) {
      log_.write(LogLevel::warn, "event handler failed; will retry",
                 {{"event_id", record.event.id},
                  {"event_type", record.event.type},
                  {"attempt", std::int64_t(attempts)},
                  {"error", error.what()}});
      return false;
    }
    outbox.park(record, error.what(), clock_.now());
    attempts_.erase({&outbox, record.sequence});
    log_.write(LogLevel::error, "event parked after repeated handler failures",
               {{"event_id", record.event.id},
                {"event_type", record.event.type},
                {"attempts", std::int64_t(attempts)},
                {"error", error.what()}});
    return true;
  }
}

std::size_t OutboxRelay::relay_batch(Outbox& outbox, bool& more, bool& failed) {
  auto batch = outbox.unpublished(settings_.batch_size);
  more = batch.size() == settings_.batch_size;
  if (batch.empty()) return 0;
  if (publish_whole(outbox, batch)) {
    outbox.mark_published(batch.back().sequence);
    return batch.size();
  }
  // One by one: the events before the one at fault go out, and it alone
  // counts a failed attempt (and is parked after too many).
  std::int64_t last_published = 0;
  std::size_t relayed = 0;
  for (const auto& record : batch) {
    if (!deliver(outbox, record)) {
      more = false;
      failed = true;
      break;
    }
    last_published = record.sequence;
    ++relayed;
  }
  if (last_published != 0) outbox.mark_published(last_published);
  return relayed;
}

bool OutboxRelay::publish_whole(Outbox& outbox, const std::vector<OutboxRecord>& batch) {
  // An event already failing goes the slow way at once.
  if (attempts_.contains({&outbox, batch.front().sequence})) return false;
  std::vector<EventEnvelope> events;
  events.reserve(batch.size());
  for (const auto& record : batch) events.push_back(record.event);
  try {
    bus_.publish_batch(events);
    return true;
  } catch (const BusUnavailable&) {
    throw;
  } catch (const std::exception&) {
    return false;
  }
}

std::size_t OutboxRelay::relay_pending(const std::function<bool()>& go_on) {
  std::size_t relayed = 0;
  bool failed = false;
  // One batch from each outbox in turn: a module that keeps writing events
  // must not hold back the others' (a refund waits on order.cancelled).
  std::vector<Outbox*> busy = outboxes_;
  while (!busy.empty() && (!go_on || go_on())) {
    last_pass_ = std::chrono::steady_clock::now().time_since_epoch().count();
    std::vector<Outbox*> still_busy;
    for (Outbox* outbox : busy) {
      bool more = false;
      relayed += relay_batch(*outbox, more, failed);
      if (more) still_busy.push_back(outbox);
    }
    busy = std::move(still_busy);
  }
  std::lock_guard lock(mutex_);
  failing_ = failed;
  return relayed;
}

void OutboxRelay::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_one();
}

bool OutboxRelay::drained() {
  for (Outbox* outbox : outboxes_) {
    if (!outbox->unpublished(1).empty()) return false;
  }
  return true;
}

bool OutboxRelay::alive(std::chrono::steady_clock::duration within) const {
  auto last = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_pass_));
  return std::chrono::steady_clock::now() - last < within;
}

void OutboxRelay::run(std::stop_token stop, std::chrono::milliseconds poll_interval) {
  std::chrono::milliseconds backoff = poll_interval;
  while (!stop.stop_requested()) {
    try {
      relay_pending([&stop] { return !stop.stop_requested(); });
    } catch (const std::exception& error) {
      log_.write(LogLevel::error, "outbox relay pass failed", {{"error", error.what()}});
      std::lock_guard lock(mutex_);
      failing_ = true;
    }
    std::unique_lock lock(mutex_);
    // While handlers fail, wait longer each time instead of spinning on them.
    backoff = failing_ ? std::min(backoff * 2, max_backoff) : poll_interval;
    wakeup_.wait_for(lock, stop, failing_ ? backoff : poll_interval,
                     [this] { return woken_ && !failing_; });
    woken_ = false;
  }
}

}  // namespace shop
