#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <utility>

#include "dashboard/dashboard_fixture.hpp"

using namespace shop;
using shop::testing::DashboardFixture;
using shop::testing::describe;
using shop::testing::aggregate_of;
using shop::testing::SagaEvents;
using shop::testing::shuffle_across_aggregates;

namespace {

// Many orders of a few customers through every saga path, in the order the
// modules would publish them.
std::vector<EventEnvelope> busy_shop() {
  SagaEvents saga;
  // Products: created, one updated twice, one deleted, levels moving under
  // restocks, a stock take, reservations, sales, releases and returns.
  for (int p = 0; p < 6; ++p) {
    std::string product_id = "p-" + std::to_string(p);
    saga.product(product_id, "Product " + std::to_string(p), 1000 + p, p % 2 ? "tea" : "cake");
    saga.restock(product_id, 10 + p);
  }
  saga.product("p-1", "Product 1 renamed", 1500, "tea", 2);
  saga.product("p-1", "Product 1 again", 1600, "cake", 3);
  saga.product_deleted("p-5", 2);
  saga.stock_take("p-4", 7);
  for (int i = 0; i < 40; ++i) {
    std::string product_id = "p-" + std::to_string(i % 5);
    std::string stock_order = "o-" + std::to_string(i);
    SagaEvents::Lines lines = {{product_id, 1}};
    if (i % 5 != 4) saga.reserve(stock_order, lines);
    switch (i % 5) {
      case 0:  // delivered: sold
      case 3:  // paid: sold
        saga.sell(stock_order, lines);
        break;
      case 1:  // cancelled after payment: sold, then returned
        saga.sell(stock_order, lines);
        saga.give_back(stock_order, lines);
        break;
      case 2:  // declined: released
        saga.release(stock_order, lines);
        break;
      default:
        break;
    }
    if (i == 20) saga.low("p-0", 8);
  }
  saga.low("p-3", 6);
  for (int i = 0; i < 40; ++i) {
    std::string order_id = "o-" + std::to_string(i);
    std::string customer_id = "c-" + std::to_string(i % 4);
    std::int64_t total = 1000 * (i + 1);
    saga.placed(order_id, customer_id, total);
    switch (i % 5) {
      case 0:
        saga.paid(order_id, customer_id, total);
        saga.delivered(order_id, customer_id);
        break;
      case 1:
        saga.paid(order_id, customer_id, total);
        saga.cancelled_paid(order_id, customer_id, total);
        break;
      case 2:
        saga.declined(order_id, customer_id, total);
        break;
      case 3:
        saga.paid(order_id, customer_id, total);
        break;
      case 4:
        saga.pending(order_id, customer_id);
        break;
    }
  }
  return saga.events;
}

// Every read model, as text: views of all orders, summaries of all customers.
std::vector<std::string> read_models(dashboard::DashboardApi& dashboard) {
  std::vector<std::string> models;
  for (int i = 0; i < 40; ++i) models.push_back(describe(dashboard.order("o-" + std::to_string(i))));
  for (int c = 0; c < 5; ++c) models.push_back(describe(dashboard.customer("c-" + std::to_string(c))));
  for (auto& product : shop::testing::storefront(dashboard)) models.push_back(std::move(product));
  models.push_back(describe(dashboard.summary()));
  return models;
}

}  // namespace

TEST_CASE("dashboard: the shuffle keeps each aggregate's order and changes the rest") {
  auto events = busy_shop();
  auto shuffled = shuffle_across_aggregates(events, 7);
  REQUIRE(shuffled.size() == events.size());
  CHECK(shuffled != events);
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::vector<std::string>> after;
  for (const auto& event : events) before[aggregate_of(event)].push_back(event.id);
  for (const auto& event : shuffled) after[aggregate_of(event)].push_back(event.id);
  CHECK(before == after);
}

TEST_CASE("dashboard: replaying stored events shuffled across aggregates gives the live models") {
  auto events = busy_shop();
  DashboardFixture live;
  live.feed(events);
  auto expected = read_models(*live.dashboard);
  // The models hold what the shuffle could break: levels, a deletion, low
  // stock, the day's counters (5 products are for sale: p-5 was deleted).
  REQUIRE(expected.size() == 40 + 5 + 5 + 1);
  auto summary = live.dashboard->summary();
  CHECK(summary.orders_today == 40);
  CHECK(summary.low_stock.size() == 2);  // p-0 and p-3, by their own thresholds
  CHECK(live.dashboard->products({}).items.size() == 5);

  for (unsigned seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    // The store holds the events in the shuffled order: replay follows it.
    DashboardFixture shuffled;
    shuffled.feed(shuffle_across_aggregates(events, seed));
    REQUIRE(shuffled.store.event_count() == std::int64_t(events.size()));
    CHECK(shuffled.store.stored_events(0, events.size()).front().event != events.front());
    CHECK(read_models(*shuffled.dashboard) == expected);

    CHECK(shuffled.dashboard->replay({}) == std::int64_t(events.size()));
    auto replayed = read_models(*shuffled.dashboard);
    REQUIRE(replayed.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(replayed[i] == expected[i]);
  }

  // Replaying the live store itself changes nothing either.
  live.dashboard->replay({});
  CHECK(read_models(*live.dashboard) == expected);
}

TEST_CASE("dashboard: replay rebuilds read models that were lost") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  saga.paid("o-1", "c-1", 9000);
  f.feed(saga.events);
  auto before = describe(f.dashboard->order("o-1"));
  f.store.write([](dashboard::DashboardTransaction& tx) { tx.clear_read_models(); });
  CHECK_FALSE(f.store.order_row("o-1"));
  CHECK(f.dashboard->customer("c-1").orders_placed == 0);

  CHECK(f.dashboard->replay({}) == 4);
  CHECK(describe(f.dashboard->order("o-1")) == before);
  CHECK(f.dashboard->customer("c-1").orders_placed == 1);
  CHECK(f.store.event_count() == 4);  // replay stores nothing new
}

TEST_CASE("dashboard: replay reports its progress up to the total") {
  DashboardFixture f;
  SagaEvents saga;
  for (int i = 0; i < 600; ++i) saga.placed("o-" + std::to_string(i), "c-1", 1000);
  f.feed(saga.events);

  std::vector<std::pair<std::int64_t, std::int64_t>> reports;
  auto replayed = f.dashboard->replay(
      [&](std::int64_t done, std::int64_t total) { reports.emplace_back(done, total); });
  CHECK(replayed == 600);
  REQUIRE(reports.size() >= 3);  // the start, at least one batch on the way, the end
  CHECK(reports.front() == std::pair<std::int64_t, std::int64_t>{0, 600});
  CHECK(reports.back() == std::pair<std::int64_t, std::int64_t>{600, 600});
  for (std::size_t i = 1; i < reports.size(); ++i) {
    CHECK(reports[i].first > reports[i - 1].first);
    CHECK(reports[i].second == 600);
  }
  CHECK(f.dashboard->customer("c-1").orders_placed == 600);
}

TEST_CASE("dashboard: replay of an empty store reports zero of zero") {
  DashboardFixture f;
  std::vector<std::pair<std::int64_t, std::int64_t>> reports;
  CHECK(f.dashboard->replay([&](std::int64_t done, std::int64_t total) {
    reports.emplace_back(done, total);
  }) == 0);
  CHECK(reports == std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 0}});
}
