#include <doctest/doctest.h>

#include "dashboard/dashboard_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using std::chrono::milliseconds;

TEST_CASE("projection lag: percentiles and maximum of the recent samples") {
  dashboard::ProjectionLag lag;
  CHECK(lag.stats().events == 0);
  for (int i = 1; i <= 100; ++i) lag.record(milliseconds(i));
  auto stats = lag.stats();
  CHECK(stats.events == 100);
  CHECK(stats.p50 == milliseconds(51));
  CHECK(stats.p99 == milliseconds(99));
  CHECK(stats.max == milliseconds(100));
  // Old samples leave the window; the maximum stays the maximum ever seen.
  for (int i = 0; i < 2000; ++i) lag.record(milliseconds(2));
  CHECK(lag.stats().p99 == milliseconds(2));
  CHECK(lag.stats().max == milliseconds(100));
}

TEST_CASE_FIXTURE(DashboardFixture, "projection lag: from an event's time to its projection") {
  SagaEvents saga;
  saga.placed("o-1", "c-1", 4500);
  auto event = saga.events.front();
  clock.advance(event.time - clock.now() + milliseconds(30));  // projected 30 ms after
  dashboard->on_event(event);
  dashboard->on_event(event);  // a redelivery is not projected again
  auto stats = dashboard->projection_lag();
  CHECK(stats.events == 1);
  CHECK(stats.max == milliseconds(30));
}
