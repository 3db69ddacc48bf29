#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>
#include <utility>

#include "adapters/memory/lease_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/shared/background_lease.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

// A store whose writes fail, or take their time, on demand, as a busy
// database would.
class FlakyStore final : public LeaseStore {
 public:
  explicit FlakyStore(const Clock& clock) : inner(clock) {}

  bool acquire(const std::string& holder, std::chrono::milliseconds ttl, bool anyone) override {
    write();
    return inner.acquire(holder, ttl, anyone);
  }
  bool renew(const std::string& holder, std::chrono::milliseconds ttl) override {
    write();
    return inner.renew(holder, ttl);
  }
  void release(const std::string& holder) override {
    write();
    inner.release(holder);
  }
  std::optional<std::string> live_holder() override { return inner.live_holder(); }

  memory::MemoryLeaseStore inner;
  bool failing = false;
  // Runs once, inside the next write, before it reaches the row.
  std::function<void()> during_next_write;

 private:
  void write() {
    if (auto during = std::exchange(during_next_write, {})) during();
    if (failing) throw std::runtime_error("database is locked");
  }
};

// Two processes on one database: `first` and `second`. The store's clock
// and theirs move together.
struct TwoProcesses {
  memory::ManualClock store_clock;
  memory::ManualMonotonicClock process_clock;
  FlakyStore store{store_clock};
  memory::SilentLog log;
  BackgroundLeaseSettings settings{15s, 200ms};
  BackgroundLease first{store, process_clock, log, "first", settings, false};
  BackgroundLease second{store, process_clock, log, "second", settings, false};

  void pass(std::chrono::milliseconds time) {
    store_clock.advance(time);
    process_clock.advance(time);
  }
};

}  // namespace

TEST_CASE_FIXTURE(TwoProcesses, "one process at a time holds the lease; the other stands by") {
  CHECK(first.step());
  CHECK_FALSE(second.step());
  CHECK(first.held());
  CHECK_FALSE(second.held());
  CHECK(second.accounted_for());  // someone runs the background work
  CHECK(first.next_step_in() == 3750ms);
  CHECK(second.next_step_in() == 200ms);
}

TEST_CASE_FIXTURE(TwoProcesses, "renewals keep the lease past its first expiry") {
  REQUIRE(first.step());
  for (int i = 0; i < 10; ++i) {
    pass(5s);
    CHECK(first.step());
    CHECK_FALSE(second.step());
  }
}

TEST_CASE_FIXTURE(TwoProcesses, "a release hands the lease to the process standing by") {
  REQUIRE(first.step());
  REQUIRE_FALSE(second.step());
  first.release();
  CHECK_FALSE(first.held());
  CHECK(second.step());
  CHECK_FALSE(first.step());
}

TEST_CASE_FIXTURE(TwoProcesses, "a holder that stops renewing loses the lease once it expires") {
  REQUIRE(first.step());
  pass(9s);
  CHECK(first.held());
  pass(1s);
  CHECK_FALSE(first.held());  // without a step: its deadline, 2/3 of the ttl, passed
  // The last third is for its work to stop: nobody else may take it yet.
  CHECK_FALSE(second.step());
  pass(4s);
  CHECK_FALSE(second.step());
  pass(1s);
  CHECK(second.step());
  // The old holder learns it at its next renewal.
  CHECK_FALSE(first.step());
  CHECK_FALSE(first.held());
  CHECK(first.accounted_for());
}

TEST_CASE_FIXTURE(TwoProcesses, "the only server takes the lease from a crashed holder at once") {
  REQUIRE(first.step());  // `first` then dies without releasing
  BackgroundLease restarted(store, process_clock, log, "restarted", settings, true);
  CHECK(restarted.step());
  CHECK_FALSE(first.step());
  // Only the first acquisition may take a live lease.
  restarted.release();
  REQUIRE(second.step());
  CHECK_FALSE(restarted.step());
}

TEST_CASE_FIXTURE(TwoProcesses, "a failed renewal keeps the lease until its deadline") {
  REQUIRE(first.step());
  store.failing = true;
  pass(5s);
  CHECK(first.step());
  pass(4s);
  CHECK(first.step());
  pass(1s);
  CHECK_FALSE(first.step());
  CHECK_FALSE(first.held());
  store.failing = false;
  CHECK(first.step());  // nobody took it meanwhile: taken again
}

TEST_CASE_FIXTURE(TwoProcesses, "a process standing by stays so while the store fails") {
  store.failing = true;
  CHECK_FALSE(first.step());
  CHECK_FALSE(first.accounted_for());
  store.failing = false;
  CHECK(first.step());
}

// The deadline: a renewal's start plus two thirds of the ttl, on the
// process's own monotonic clock. The store counts the whole ttl from when
// the write reaches it, later.

TEST_CASE_FIXTURE(TwoProcesses, "a slow renewal counts the ttl from when it began") {
  REQUIRE(first.step());
  pass(5s);
  store.during_next_write = [this] { pass(4s); };
  REQUIRE(first.step());  // began at 5 s, landed at 9 s
  pass(5s);
  CHECK(first.held());
  CHECK(first.time_left() == 1s);
  pass(1s);  // 15 s: its deadline
  CHECK_FALSE(first.held());
  CHECK(first.next_step_in() == 200ms);
  // In the store it runs until 24 s: nobody takes it before the holder let go.
  CHECK_FALSE(second.step());
  pass(8s);
  CHECK_FALSE(second.step());
  pass(1s);
  CHECK(second.step());
}

TEST_CASE_FIXTURE(TwoProcesses, "a holder whose renewal hangs stops holding at its deadline") {
  REQUIRE(first.step());
  pass(5s);
  bool held_at_9s = false, held_at_10s = true, taken_at_10s = true, taken_at_15s = false;
  store.during_next_write = [&] {
    pass(4s);
    held_at_9s = first.held();
    pass(1s);
    held_at_10s = first.held();
    taken_at_10s = second.step();
    pass(5s);
    taken_at_15s = second.step();
    pass(5s);
  };
  CHECK_FALSE(first.step());  // the renewal reaches the row after `second` took it
  CHECK(held_at_9s);
  CHECK_FALSE(held_at_10s);
  CHECK_FALSE(taken_at_10s);  // the holder stopped; the lease ran on in the store
  CHECK(taken_at_15s);
  CHECK(second.held());
  CHECK_FALSE(first.held());
}

TEST_CASE_FIXTURE(TwoProcesses, "a renewal landing past the deadline is not held on") {
  REQUIRE(first.step());
  pass(5s);
  store.during_next_write = [this] { pass(16s); };
  CHECK_FALSE(first.step());
  CHECK_FALSE(first.held());
  // Still its own in the store, which it then takes again with a fresh deadline.
  CHECK(first.step());
  CHECK(first.time_left() == 10s);
  CHECK_FALSE(second.step());
}

TEST_CASE_FIXTURE(TwoProcesses, "a release the database refuses stops nothing; the lease runs out") {
  REQUIRE(first.step());
  store.failing = true;
  CHECK_NOTHROW(first.release());
  CHECK_FALSE(first.held());
  store.failing = false;
  CHECK_FALSE(second.step());  // still the first's on the store, until it runs out
  pass(15s);
  CHECK(second.step());
}

TEST_CASE_FIXTURE(TwoProcesses, "nobody accounts for the work when the lease is free and cannot be taken") {
  REQUIRE(first.step());
  REQUIRE_FALSE(second.step());
  REQUIRE(second.accounted_for());
  first.release();
  store.failing = true;
  CHECK_FALSE(second.step());
  CHECK_FALSE(second.accounted_for());  // the relay's health says so
}
