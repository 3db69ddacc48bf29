#include <doctest/doctest.h>

#include <algorithm>

#include "dashboard/dashboard_fixture.hpp"
#include "domain/shared/failure.hpp"

using namespace shop;
using shop::testing::DashboardFixture;
using shop::testing::describe;
using shop::testing::krw;
using shop::testing::SagaEvents;
using shop::testing::shuffle_across_aggregates;
using shop::testing::storefront;
using namespace std::chrono_literals;

namespace {

dashboard::ProductView only_product(dashboard::DashboardApi& dashboard) {
  auto page = dashboard.products({});
  REQUIRE(page.items.size() == 1);
  return page.items[0];
}

Timestamp utc(int year, unsigned month, unsigned day, int hour, int minute = 0) {
  using namespace std::chrono;
  return Timestamp(sys_days(std::chrono::year(year) / std::chrono::month(month) / day) +
                   hours(hour) + minutes(minute));
}

}  // namespace

TEST_CASE("storefront: availability follows reservations, sales and returns") {
  DashboardFixture f;
  SagaEvents shop;
  shop.product("p-1", "Green tea", 4500);
  shop.restock("p-1", 10);
  f.feed(shop.events);
  auto product = only_product(*f.dashboard);
  CHECK(product.id == "p-1");
  CHECK(product.sku == "SKU-p-1");
  CHECK(product.name == "Green tea");
  CHECK(product.description == "About Green tea");
  CHECK(product.price == krw(4500));
  CHECK(product.category == "tea");
  CHECK(product.active);
  CHECK(product.version == 1);
  CHECK(product.on_hand == 10);
  CHECK(product.reserved == 0);
  CHECK(product.available == 10);
  CHECK(product.level_sequence == 1);

  auto step = [&](auto&& act, std::int64_t on_hand, std::int64_t reserved) {
    shop.events.clear();
    act();
    f.feed(shop.events);
    auto now = only_product(*f.dashboard);
    CHECK(now.on_hand == on_hand);
    CHECK(now.reserved == reserved);
    CHECK(now.available == on_hand - reserved);
  };
  step([&] { shop.reserve("o-1", {{"p-1", 3}}); }, 10, 3);
  step([&] { shop.reserve("o-2", {{"p-1", 2}}); }, 10, 5);
  step([&] { shop.sell("o-1", {{"p-1", 3}}); }, 7, 2);
  step([&] { shop.release("o-2", {{"p-1", 2}}); }, 7, 0);
  step([&] { shop.give_back("o-1", {{"p-1", 3}}); }, 10, 0);
  CHECK(only_product(*f.dashboard).level_sequence == 6);
}

TEST_CASE("storefront: levels from events of different aggregates arriving out of order") {
  SagaEvents shop;
  shop.product("p-1", "Green tea", 4500);
  shop.product("p-2", "Black tea", 3000);
  shop.restock("p-1", 10);                              // 1
  shop.restock("p-2", 4);                               // 2
  shop.reserve("o-1", {{"p-1", 3}, {"p-2", 1}});        // 3, 4
  shop.reserve("o-2", {{"p-1", 2}});                    // 5
  shop.sell("o-1", {{"p-1", 3}, {"p-2", 1}});           // 6, 7
  shop.restock("p-1", 5);                               // 8
  shop.give_back("o-1", {{"p-1", 3}, {"p-2", 1}});      // 9, 10
  shop.release("o-2", {{"p-1", 2}});                    // 11
  DashboardFixture in_order;
  in_order.feed(shop.events);
  auto expected = storefront(*in_order.dashboard);
  REQUIRE(expected.size() == 2);
  CHECK(expected[0] ==
        "p-1 sku=SKU-p-1 name=Green tea description=About Green tea price=4500KRW "
        "category=tea active=1 version=1 on_hand=15 reserved=0 available=15 sequence=11");
  CHECK(expected[1].ends_with("on_hand=4 reserved=0 available=4 sequence=10"));

  SUBCASE("the latest movement first, the oldest last") {
    // o-2's movements, then o-1's, then the restocks and the catalog, newest first.
    DashboardFixture f;
    std::vector<EventEnvelope> reversed;
    for (const auto& event : shop.events) {
      if (event.subject == "o-2") reversed.push_back(event);
    }
    for (const auto& event : shop.events) {
      if (event.subject == "o-1") reversed.push_back(event);
    }
    for (auto it = shop.events.rbegin(); it != shop.events.rend(); ++it) {
      if (it->subject == "p-1" || it->subject == "p-2") reversed.push_back(*it);
    }
    // (Even p-1's two restocks arrive reversed: more than the bus may do,
    // and the sequence still decides.)
    REQUIRE(reversed.size() == shop.events.size());
    f.feed(reversed);
    CHECK(storefront(*f.dashboard) == expected);
  }
  SUBCASE("any interleaving the bus may deliver") {
    for (unsigned seed = 1; seed <= 30; ++seed) {
      CAPTURE(seed);
      DashboardFixture f;
      f.feed(shuffle_across_aggregates(shop.events, seed));
      CHECK(storefront(*f.dashboard) == expected);
    }
  }
}

TEST_CASE("storefront: the highest product version wins, deleted products leave") {
  DashboardFixture f;
  SagaEvents shop;
  shop.product("p-1", "Green tea", 4500);
  shop.product("p-1", "Sencha", 5000, "green", 2);
  shop.product("p-2", "Cake", 3000, "cake");
  f.feed({shop.events[1], shop.events[0], shop.events[2]});  // an older version arrives late
  auto page = f.dashboard->products({});
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].name == "Sencha");
  CHECK(page.items[0].version == 2);
  CHECK(page.items[0].category == "green");

  shop.events.clear();
  shop.product_deleted("p-1", 3);
  shop.restock("p-1", 5);  // a level for a deleted product does not bring it back
  f.feed(shop.events);
  page = f.dashboard->products({});
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == "p-2");
}

TEST_CASE("storefront: stock of a product the catalog did not announce yet stays hidden") {
  DashboardFixture f;
  SagaEvents shop;
  shop.restock("p-1", 5);
  shop.product("p-1", "Green tea", 4500);
  f.feed({shop.events[0]});
  CHECK(f.dashboard->products({}).items.empty());
  f.feed({shop.events[1]});
  CHECK(only_product(*f.dashboard).available == 5);
}

TEST_CASE("storefront: pages by product id, filtered by category, limits checked") {
  DashboardFixture f;
  SagaEvents shop;
  for (int i = 0; i < 7; ++i) {
    shop.product("p-" + std::to_string(i), "P" + std::to_string(i), 100, i % 2 ? "tea" : "cake");
  }
  f.feed(shop.events);
  auto first = f.dashboard->products({"", "", 3});
  REQUIRE(first.items.size() == 3);
  CHECK(first.items[0].id == "p-0");
  CHECK(first.items[2].id == "p-2");
  REQUIRE(first.next_cursor);
  auto second = f.dashboard->products({"", *first.next_cursor, 3});
  CHECK(second.items.front().id == "p-3");
  auto last = f.dashboard->products({"", *second.next_cursor, 3});
  CHECK(last.items.size() == 1);
  CHECK_FALSE(last.next_cursor);
  // Exactly a page left: no empty page after it.
  auto exact = f.dashboard->products({"", "p-3", 3});
  CHECK(exact.items.size() == 3);
  CHECK_FALSE(exact.next_cursor);

  auto tea = storefront(*f.dashboard, "tea");
  CHECK(tea.size() == 3);
  CHECK(storefront(*f.dashboard, "none").empty());
  CHECK(f.dashboard->products({}).items.size() == 7);  // default limit 20

  for (std::size_t limit : {std::size_t(0), std::size_t(101)}) {
    try {
      f.dashboard->products({"", "", limit});
      FAIL("expected invalid");
    } catch (const Failure& failure) {
      CHECK(failure.kind() == FailureKind::invalid);
    }
  }
  CHECK(f.dashboard->products({"", "", 100}).items.size() == 7);
}

TEST_CASE("summary: today and yesterday in the shop's time zone") {
  // Shop at UTC+09:00; now is 2027-01-15 12:00 local (03:00 UTC).
  DashboardFixture f(9h);
  f.clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(
      utc(2027, 1, 15, 3) - f.clock.now()));
  SagaEvents shop;
  shop.set_now(utc(2027, 1, 14, 13, 59));  // 22:59 local on the 14th: yesterday
  shop.placed("o-1", "c-1", 1000);         // at 14:00 UTC, 23:00 local: yesterday
  shop.paid("o-1", "c-1", 1000);           // approved at 14:00:01 UTC: yesterday
  shop.set_now(utc(2027, 1, 14, 15));      // 00:00 local on the 15th: today
  shop.placed("o-2", "c-1", 2000);
  shop.paid("o-2", "c-1", 2000);
  shop.placed("o-3", "c-2", 4000);
  shop.paid("o-3", "c-2", 4000);
  shop.cancelled_paid("o-1", "c-1", 1000);  // yesterday's order refunded today
  f.feed(shop.events);

  auto summary = f.dashboard->summary();
  CHECK(summary.date == "2027-01-15");
  CHECK(summary.orders_today == 2);
  CHECK(summary.revenue_today == krw(6000));
  CHECK(summary.refunded_today == krw(1000));
  CHECK(summary.deliveries_by_status.at("REQUESTED") == 2);
  CHECK(summary.deliveries_by_status.at("CANCELLED") == 1);
  CHECK(summary.deliveries_by_status.at("DELIVERED") == 0);
  CHECK(summary.deliveries_by_status.size() == 6);
  CHECK(f.store.day_totals("2027-01-14") == dashboard::DayTotals{"2027-01-14", 1, 1000, 0, "KRW"});

  // The same events in UTC: everything happened on the 14th, today is the 15th.
  DashboardFixture in_utc;
  in_utc.clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(
      utc(2027, 1, 15, 3) - in_utc.clock.now()));
  in_utc.feed(shop.events);
  auto utc_summary = in_utc.dashboard->summary();
  CHECK(utc_summary.date == "2027-01-15");
  CHECK(utc_summary.orders_today == 0);
  CHECK(utc_summary.revenue_today == krw(0));

  // A day later the counters of the 15th are yesterday's.
  f.clock.advance(24h);
  auto tomorrow = f.dashboard->summary();
  CHECK(tomorrow.date == "2027-01-16");
  CHECK(tomorrow.orders_today == 0);
  CHECK(tomorrow.revenue_today == krw(0));
  CHECK(tomorrow.refunded_today == krw(0));
}

TEST_CASE("summary: a negative offset moves early UTC events to the day before") {
  DashboardFixture f(-(5h + 30min));
  f.clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(
      utc(2027, 1, 15, 4) - f.clock.now()));  // 22:30 local on the 14th
  SagaEvents shop;
  shop.set_now(utc(2027, 1, 15, 1));  // 19:30 local on the 14th
  shop.placed("o-1", "c-1", 1000);
  f.feed(shop.events);
  auto summary = f.dashboard->summary();
  CHECK(summary.date == "2027-01-14");
  CHECK(summary.orders_today == 1);
}

TEST_CASE("summary: low stock from the latest level and the latest threshold") {
  DashboardFixture f(0min, 5);
  SagaEvents shop;
  shop.product("p-1", "Green tea", 4500);
  shop.product("p-2", "Black tea", 4500);
  shop.product("p-3", "Cake", 3000);
  shop.product("p-4", "Gone", 3000);
  shop.restock("p-1", 10);
  shop.restock("p-2", 20);
  shop.restock("p-4", 1);
  shop.product_deleted("p-4", 2);  // deleted: never listed
  shop.reserve("o-1", {{"p-1", 6}});  // p-1 available 4 <= default 5
  shop.reserve("o-2", {{"p-2", 10}});
  shop.low("p-2", 12);               // p-2's own threshold: 10 <= 12
  f.feed(shop.events);               // p-3: no stock at all, available 0

  auto summary = f.dashboard->summary();
  REQUIRE(summary.low_stock.size() == 3);
  CHECK(summary.low_stock[0].product_id == "p-1");
  CHECK(summary.low_stock[0].name == "Green tea");
  CHECK(summary.low_stock[0].available == 4);
  CHECK(summary.low_stock[0].low_stock_threshold == 5);
  CHECK(summary.low_stock[1].product_id == "p-2");
  CHECK(summary.low_stock[1].available == 10);
  CHECK(summary.low_stock[1].low_stock_threshold == 12);
  CHECK(summary.low_stock[2].product_id == "p-3");
  CHECK(summary.low_stock[2].available == 0);

  shop.events.clear();
  shop.restock("p-1", 10);  // 14: no longer low
  shop.restock("p-3", 9);
  f.feed(shop.events);
  summary = f.dashboard->summary();
  REQUIRE(summary.low_stock.size() == 1);
  CHECK(summary.low_stock[0].product_id == "p-2");

  // An older StockLow arriving late does not replace a newer threshold.
  DashboardFixture late(0min, 5);
  SagaEvents stock;
  stock.product("p-1", "Green tea", 4500);
  stock.restock("p-1", 3);
  stock.low("p-1", 2);
  stock.restock("p-1", 1);
  stock.low("p-1", 4);  // available 4 <= 4
  late.feed({stock.events[0], stock.events[3], stock.events[4], stock.events[1],
             stock.events[2]});
  auto low = late.dashboard->summary().low_stock;
  REQUIRE(low.size() == 1);
  CHECK(low[0].available == 4);
  CHECK(low[0].low_stock_threshold == 4);
}

TEST_CASE("storefront and summary: an event delivered twice counts once") {
  DashboardFixture f;
  SagaEvents shop;
  shop.product("p-1", "Green tea", 4500);
  shop.restock("p-1", 10);
  shop.placed("o-1", "c-1", 4500);
  shop.reserve("o-1", {{"p-1", 2}});
  shop.paid("o-1", "c-1", 4500);
  f.feed(shop.events);
  auto product = describe(only_product(*f.dashboard));
  auto summary = describe(f.dashboard->summary());
  f.feed(shop.events);
  CHECK(describe(only_product(*f.dashboard)) == product);
  CHECK(describe(f.dashboard->summary()) == summary);
  CHECK(f.dashboard->summary().orders_today == 1);
  CHECK(f.dashboard->summary().revenue_today == krw(4500));
}
