#include <doctest/doctest.h>

#include <stdexcept>

#include "adapters/memory/lease_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/shared/background_lease.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

// Two processes on one database: `first` and `second`.
struct TwoProcesses {
  memory::MemoryLeaseStore store;
  memory::ManualClock clock;
  memory::SilentLog log;
  BackgroundLeaseSettings settings{15s, 200ms};
  BackgroundLease first{store, clock, log, "first", settings, false};
  BackgroundLease second{store, clock, log, "second", settings, false};
};

// A store whose writes fail on demand, as a busy database would.
class FlakyStore final : public LeaseStore {
 public:
  bool acquire(const std::string& holder, Timestamp now, Timestamp until, bool anyone) override {
    if (failing) throw std::runtime_error("database is locked");
    return inner.acquire(holder, now, until, anyone);
  }
  bool renew(const std::string& holder, Timestamp until) override {
    if (failing) throw std::runtime_error("database is locked");
    return inner.renew(holder, until);
  }
  void release(const std::string& holder) override { inner.release(holder); }
  std::optional<LeaseHolder> current() override { return inner.current(); }

  memory::MemoryLeaseStore inner;
  bool failing = false;
};

}  // namespace

TEST_CASE_FIXTURE(TwoProcesses, "one process at a time holds the lease; the other stands by") {
  CHECK(first.step());
  CHECK_FALSE(second.step());
  CHECK(first.held());
  CHECK_FALSE(second.held());
  CHECK(second.accounted_for());  // someone runs the background work
  CHECK(first.next_step_in() == 5s);
  CHECK(second.next_step_in() == 200ms);
}

TEST_CASE_FIXTURE(TwoProcesses, "renewals keep the lease past its first expiry") {
  REQUIRE(first.step());
  for (int i = 0; i < 10; ++i) {
    clock.advance(5s);
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
  clock.advance(14s);
  CHECK_FALSE(second.step());
  clock.advance(1s);
  CHECK(second.step());
  // The old holder learns it at its next renewal and stops its work.
  CHECK_FALSE(first.step());
  CHECK_FALSE(first.held());
}

TEST_CASE_FIXTURE(TwoProcesses, "the only server takes the lease from a crashed holder at once") {
  REQUIRE(first.step());  // `first` then dies without releasing
  BackgroundLease restarted(store, clock, log, "restarted", settings, true);
  CHECK(restarted.step());
  CHECK_FALSE(first.step());
  // Only the first acquisition may take a live lease.
  restarted.release();
  REQUIRE(second.step());
  CHECK_FALSE(restarted.step());
}

TEST_CASE("a failed renewal keeps the lease until it would have expired, not longer") {
  FlakyStore store;
  memory::ManualClock clock;
  memory::SilentLog log;
  BackgroundLease lease(store, clock, log, "holder", {15s, 200ms}, false);
  REQUIRE(lease.step());
  store.failing = true;
  clock.advance(5s);
  CHECK(lease.step());
  clock.advance(9s);
  CHECK(lease.step());
  clock.advance(1s);
  CHECK_FALSE(lease.step());
  store.failing = false;
  CHECK(lease.step());  // nobody took it meanwhile: taken again
}

TEST_CASE("a process standing by stays so while the store fails") {
  FlakyStore store;
  memory::ManualClock clock;
  memory::SilentLog log;
  BackgroundLease lease(store, clock, log, "holder", {15s, 200ms}, false);
  store.failing = true;
  CHECK_FALSE(lease.step());
  CHECK_FALSE(lease.accounted_for());
  store.failing = false;
  CHECK(lease.step());
}
