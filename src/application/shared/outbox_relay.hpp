#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <exception>
#include <map>
#include <utility>
#include <mutex>
#include <stop_token>
#include <vector>

#include "application/shared/clock.hpp"
#include "application/shared/event_bus.hpp"
#include "application/shared/log.hpp"
#include "application/shared/outbox.hpp"

namespace shop {

// Moves committed events from every module's outbox to the bus, in commit
// order per module. An event is marked published only after every handler
// took it, so a crash in between re-delivers it (consumers are idempotent)
// rather than losing it.
struct RelaySettings {
  // Deliveries of one event that may fail before it is parked.
  int max_attempts = 10;
  // Events taken from an outbox at once. In process they are one handler
  // transaction, so small; a broker's acknowledgement costs a round trip
  // whatever the batch, so there larger.
  std::size_t batch_size = 256;
};

// The bus cannot take events now (BusUnavailable), or the outbox's own
// database is down or busy (Failure(unavailable)): no event is at fault,
// and no other would go.
bool ends_pass(const std::exception& error);

class OutboxRelay {
 public:
  OutboxRelay(std::vector<Outbox*> outboxes, EventBus& bus, Log& log, const Clock& clock,
              RelaySettings settings = {});

  // Publishes everything pending now, or until `go_on` says no (asked
  // between rounds of one batch per outbox). Returns how many events went
  // out. A failing event stops its outbox for this pass so that order is
  // kept; one whose handler is unavailable (its database down or busy)
  // does too, counted against nothing: it waits as long as that lasts.
  // Throws, ending the pass, what `ends_pass` accepts: the events stay in
  // the outboxes, counted against none of them.
  std::size_t relay_pending(const std::function<bool()>& go_on = {});
  // Called after a commit: the relay looks at once instead of at its next poll.
  void wake();
  // Relays until stopped, backing off while handlers keep failing.
  void run(std::stop_token stop, std::chrono::milliseconds poll_interval);
  // True once every outbox was empty at the end of a pass.
  bool drained();
  // True while the relay is working: its last round over the outboxes began
  // less than `within` ago (a pass under steady load has many rounds).
  bool alive(std::chrono::steady_clock::duration within) const;

 private:
  // Publishes one event; false when a handler failed and it stays pending.
  bool deliver(Outbox& outbox, const OutboxRecord& record);
  // Publishes up to one batch of `outbox`; `more` when a full batch went
  // out, `failed` when a handler failed.
  std::size_t relay_batch(Outbox& outbox, bool& more, bool& failed);
  // The whole batch as one delivery; false when any handler failed.
  bool publish_whole(Outbox& outbox, const std::vector<OutboxRecord>& batch);

  std::vector<Outbox*> outboxes_;
  EventBus& bus_;
  Log& log_;
  const Clock& clock_;
  RelaySettings settings_;
  // Failed deliveries of the event at the head of each outbox. Kept in
  // memory: a restart grants a poison event a few more tries, no more.
  std::map<std::pair<Outbox*, std::int64_t>, int> attempts_;
  std::mutex mutex_;
  std::condition_variable_any wakeup_;
  bool woken_ = false;
  bool failing_ = false;
  std::atomic<std::chrono::steady_clock::rep> last_pass_{0};
};

}  // namespace shop
