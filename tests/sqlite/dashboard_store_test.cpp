#include <doctest/doctest.h>

#include <stdexcept>

#include "dashboard/dashboard_fixture.hpp"
#include "sqlite/store_fixtures.hpp"

using namespace shop;
using dashboard::DashboardTransaction;
using dashboard::OrderRow;
using dashboard::TimelineRow;

namespace {

Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

EventEnvelope envelope(const std::string& id, std::int64_t millis = 1000) {
  return EventEnvelope{id, "shop.order.placed.v1", "/shopbox/order", "o-" + id, at(millis),
                       R"({"id":")" + id + R"("})"};
}

OrderRow row(const std::string& order_id, const std::string& customer_id,
             const std::string& status, std::int64_t spent = 0, std::int64_t refunded = 0) {
  OrderRow r;
  r.order_id = order_id;
  r.customer_id = customer_id;
  r.status = status;
  r.payment_status = spent ? "APPROVED" : "";
  r.delivery_status = "REQUESTED";
  r.cancel_reason = status == "CANCELLED" ? "changed my mind" : "";
  r.total = Money{9000, "KRW"};
  if (spent) r.spent = Money{spent, "KRW"};
  if (refunded) r.refunded = Money{refunded, "KRW"};
  return r;
}

template <class Stores>
void put(Stores& stores, const OrderRow& r) {
  stores.dashboard.write([&](DashboardTransaction& tx) { tx.put_order_row(r); });
}

}  // namespace

TEST_CASE_TEMPLATE("dashboard store: events are stored once, in arrival order", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK(stores.dashboard.event_count() == 0);
  CHECK(stores.dashboard.stored_events(0, 10).empty());
  stores.dashboard.write([](DashboardTransaction& tx) {
    // Ids that do not sort in arrival order: the position does.
    CHECK(tx.store_event(envelope("ev-b", 3000)));
    CHECK(tx.store_event(envelope("ev-a", 1000)));
    CHECK_FALSE(tx.store_event(envelope("ev-b", 3000)));
    CHECK(tx.event_count() == 2);
  });
  stores.dashboard.write([](DashboardTransaction& tx) {
    CHECK_FALSE(tx.store_event(envelope("ev-a")));
    CHECK(tx.store_event(envelope("ev-c")));
  });
  CHECK(stores.dashboard.event_count() == 3);
  auto all = stores.dashboard.stored_events(0, 10);
  REQUIRE(all.size() == 3);
  CHECK(all[0].event == envelope("ev-b", 3000));
  CHECK(all[1].event == envelope("ev-a", 1000));
  CHECK(all[2].event == envelope("ev-c"));
  CHECK(all[0].position < all[1].position);
  CHECK(all[1].position < all[2].position);

  auto page = stores.dashboard.stored_events(all[0].position, 1);
  REQUIRE(page.size() == 1);
  CHECK(page[0] == all[1]);
  CHECK(stores.dashboard.stored_events(all[2].position, 10).empty());
}

TEST_CASE_TEMPLATE("dashboard store: a failed write stores nothing", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_THROWS_AS(stores.dashboard.write([](DashboardTransaction& tx) {
    tx.store_event(envelope("ev-1"));
    tx.put_order_row(row("o-1", "c-1", "PAID"));
    throw std::runtime_error("boom");
  }),
                  std::runtime_error);
  CHECK(stores.dashboard.event_count() == 0);
  CHECK_FALSE(stores.dashboard.order_row("o-1"));
  stores.dashboard.write([](DashboardTransaction& tx) { CHECK(tx.store_event(envelope("ev-1"))); });
}

TEST_CASE_TEMPLATE("dashboard store: order rows round-trip and are replaced", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_FALSE(stores.dashboard.order_row("o-1"));
  put(stores, row("o-1", "c-1", "PAID", 9000));
  CHECK(stores.dashboard.order_row("o-1") == row("o-1", "c-1", "PAID", 9000));
  put(stores, row("o-1", "c-1", "CANCELLED", 9000, 9000));
  CHECK(stores.dashboard.order_row("o-1") == row("o-1", "c-1", "CANCELLED", 9000, 9000));
  stores.dashboard.write([](DashboardTransaction& tx) {
    CHECK(tx.order_row("o-1")->status == "CANCELLED");
    CHECK_FALSE(tx.order_row("o-2"));
  });
}

TEST_CASE_TEMPLATE("dashboard store: a timeline by time then event id, each step once", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.add_timeline_entry({"o-1", "ev-3", "order.paid", at(3000)});
    tx.add_timeline_entry({"o-1", "ev-2", "payment.approved", at(1000)});
    tx.add_timeline_entry({"o-1", "ev-1", "order.placed", at(1000)});
    tx.add_timeline_entry({"o-2", "ev-9", "order.placed", at(500)});
    tx.add_timeline_entry({"o-1", "ev-3", "order.paid", at(3000)});
  });
  CHECK(stores.dashboard.timeline("o-1") ==
        std::vector<TimelineRow>{{"o-1", "ev-1", "order.placed", at(1000)},
                                 {"o-1", "ev-2", "payment.approved", at(1000)},
                                 {"o-1", "ev-3", "order.paid", at(3000)}});
  CHECK(stores.dashboard.timeline("o-2").size() == 1);
  CHECK(stores.dashboard.timeline("o-3").empty());
}

TEST_CASE_TEMPLATE("dashboard store: customer totals are grouped from the order rows", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK(stores.dashboard.customer_totals("c-1") == dashboard::CustomerTotals{});
  put(stores, row("o-1", "c-1", "DELIVERED", 9000));
  put(stores, row("o-2", "c-1", "CANCELLED", 4500, 4500));
  put(stores, row("o-3", "c-1", "PAYMENT_DECLINED"));
  put(stores, row("o-4", "c-1", "PAID", 2000));
  put(stores, row("o-5", "c-1", "PAYMENT_PENDING"));
  put(stores, row("o-6", "c-1", "IN_DELIVERY", 1000));
  put(stores, row("o-7", "c-1", ""));  // no order event yet
  put(stores, row("o-8", "c-2", "PAID", 7000));

  auto totals = stores.dashboard.customer_totals("c-1");
  CHECK(totals.orders_placed == 6);
  CHECK(totals.orders_active == 3);
  CHECK(totals.orders_delivered == 1);
  CHECK(totals.orders_cancelled == 1);
  CHECK(totals.amount_spent == 16500);
  CHECK(totals.amount_refunded == 4500);
  CHECK(totals.currency == "KRW");
  CHECK(stores.dashboard.customer_totals("c-2").orders_active == 1);
}

TEST_CASE_TEMPLATE("dashboard store: clearing the read models keeps the events", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.store_event(envelope("ev-1"));
    tx.put_order_row(row("o-1", "c-1", "PAID", 9000));
    tx.add_timeline_entry({"o-1", "ev-1", "order.placed", at(1000)});
  });
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.clear_read_models();
    CHECK_FALSE(tx.order_row("o-1"));
    CHECK(tx.stored_events(0, 10).size() == 1);
  });
  CHECK_FALSE(stores.dashboard.order_row("o-1"));
  CHECK(stores.dashboard.timeline("o-1").empty());
  CHECK(stores.dashboard.customer_totals("c-1").orders_placed == 0);
  CHECK(stores.dashboard.event_count() == 1);
}

TEST_CASE_TEMPLATE("dashboard store: the service's views and replay agree on every store", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  memory::ManualClock clock;
  auto service = dashboard::make_dashboard_service({stores.dashboard, clock, "KRW"});
  testing::SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  saga.paid("o-1", "c-1", 9000);
  saga.cancelled_paid("o-1", "c-1", 9000);
  for (const auto& event : saga.events) service->on_event(event);
  service->on_event(saga.events[1]);

  auto view = testing::describe(service->order("o-1"));
  auto summary = testing::describe(service->customer("c-1"));
  CHECK(service->order("o-1").timeline.size() == 7);
  CHECK(summary == "c-1 placed=1 active=0 delivered=0 cancelled=1 spent=9000KRW refunded=9000KRW");
  CHECK(service->replay({}) == 7);
  CHECK(testing::describe(service->order("o-1")) == view);
  CHECK(testing::describe(service->customer("c-1")) == summary);
}

namespace {

dashboard::ProductRow product(const std::string& id, const std::string& category, bool active,
                              std::int64_t available,
                              std::optional<std::int64_t> threshold = std::nullopt) {
  dashboard::ProductRow r;
  r.product_id = id;
  r.sku = "SKU-" + id;
  r.name = "Product " + id;
  r.description = "About " + id;
  r.price = Money{4500, "KRW"};
  r.category = category;
  r.active = active;
  r.version = 2;
  r.on_hand = available + 1;
  r.reserved = 1;
  r.available = available;
  r.level_sequence = 17;
  r.low_stock_threshold = threshold;
  r.threshold_sequence = threshold ? 9 : 0;
  return r;
}

std::vector<std::string> ids_of(const std::vector<dashboard::ProductRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.product_id);
  return ids;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE_TEMPLATE("dashboard store: product rows round-trip, with and without a threshold",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_FALSE(stores.dashboard.product_row("p-1"));
  auto with = product("p-1", "tea", true, 4, 3);
  auto without = product("p-2", "tea", false, 9);
  stores.dashboard.write([&](DashboardTransaction& tx) {
    tx.put_product_row(with);
    tx.put_product_row(without);
    CHECK(tx.product_row("p-1") == with);
  });
  CHECK(stores.dashboard.product_row("p-1") == with);
  CHECK(stores.dashboard.product_row("p-2") == without);
  with.low_stock_threshold.reset();
  with.available = 8;
  stores.dashboard.write([&](DashboardTransaction& tx) { tx.put_product_row(with); });
  CHECK(stores.dashboard.product_row("p-1") == with);
}

TEST_CASE_TEMPLATE("dashboard store: active products by id after a cursor, by category",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.put_product_row(product("p-3", "tea", true, 5));
    tx.put_product_row(product("p-1", "tea", true, 5));
    tx.put_product_row(product("p-2", "cake", true, 5));
    tx.put_product_row(product("p-4", "tea", false, 5));  // deleted
    tx.put_product_row(product("p-5", "cake", true, 5));
  });
  CHECK(ids_of(stores.dashboard.active_products("", "", 10)) == Ids{"p-1", "p-2", "p-3", "p-5"});
  CHECK(ids_of(stores.dashboard.active_products("", "", 2)) == Ids{"p-1", "p-2"});
  CHECK(ids_of(stores.dashboard.active_products("", "p-2", 10)) == Ids{"p-3", "p-5"});
  CHECK(ids_of(stores.dashboard.active_products("tea", "", 10)) == Ids{"p-1", "p-3"});
  CHECK(ids_of(stores.dashboard.active_products("cake", "p-2", 10)) == Ids{"p-5"});
  CHECK(stores.dashboard.active_products("none", "", 10).empty());
  CHECK(stores.dashboard.active_products("", "p-5", 10).empty());
  CHECK(stores.dashboard.active_products("", "", 10).front() == product("p-1", "tea", true, 5));
}

namespace {

// Every page of the storefront, following the cursor (the last id of a full page).
template <class Stores>
Ids storefront(Stores& stores, const std::string& category, std::size_t limit) {
  Ids seen;
  for (;;) {
    auto page = ids_of(
        stores.dashboard.active_products(category, seen.empty() ? "" : seen.back(), limit));
    seen.insert(seen.end(), page.begin(), page.end());
    if (page.size() < limit) return seen;
  }
}

}  // namespace

TEST_CASE_TEMPLATE("dashboard store: storefront pages hold each active product once, by id",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.dashboard.write([](DashboardTransaction& tx) {
    for (const auto& row : {product("p-17", "cake", true, 5), product("p-12", "coffee", true, 5),
                            product("p-21", "coffee", true, 5), product("p-10", "tea", true, 5),
                            product("p-19", "tea", false, 5), product("p-14", "cake", false, 5),
                            product("p-23", "cake", true, 5), product("p-11", "cake", true, 5),
                            product("p-22", "tea", true, 5), product("p-15", "coffee", true, 5),
                            product("p-20", "cake", true, 5), product("p-13", "tea", true, 5),
                            product("p-18", "coffee", true, 5), product("p-16", "tea", true, 5)}) {
      tx.put_product_row(row);
    }
  });
  // Rows leaving or moving within the storefront's index: deleted, moved to
  // another category, restored into another.
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.put_product_row(product("p-10", "tea", false, 5));
    tx.put_product_row(product("p-11", "tea", true, 5));
    tx.put_product_row(product("p-14", "tea", true, 5));
  });
  for (std::size_t limit : {1, 2, 3, 5, 20}) {
    CAPTURE(limit);
    CHECK(storefront(stores, "", limit) == Ids{"p-11", "p-12", "p-13", "p-14", "p-15", "p-16",
                                               "p-17", "p-18", "p-20", "p-21", "p-22", "p-23"});
    CHECK(storefront(stores, "tea", limit) == Ids{"p-11", "p-13", "p-14", "p-16", "p-22"});
    CHECK(storefront(stores, "cake", limit) == Ids{"p-17", "p-20", "p-23"});
  }
}

TEST_CASE_TEMPLATE("dashboard store: day totals add up per date", Stores, testing::MemoryStores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK(stores.dashboard.day_totals("2027-01-15") == dashboard::DayTotals{"2027-01-15", 0, 0, 0, ""});
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.add_day_totals({"2027-01-15", 1, 0, 0, ""});
    tx.add_day_totals({"2027-01-15", 0, 4500, 0, "KRW"});
    tx.add_day_totals({"2027-01-14", 1, 0, 0, ""});
  });
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.add_day_totals({"2027-01-15", 1, 1000, 300, ""});
  });
  CHECK(stores.dashboard.day_totals("2027-01-15") ==
        dashboard::DayTotals{"2027-01-15", 2, 5500, 300, "KRW"});
  CHECK(stores.dashboard.day_totals("2027-01-14") == dashboard::DayTotals{"2027-01-14", 1, 0, 0, ""});
}

TEST_CASE_TEMPLATE("dashboard store: deliveries counted by status", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK(stores.dashboard.deliveries_by_status().empty());
  auto delivered = row("o-3", "c-1", "DELIVERED");
  delivered.delivery_status = "DELIVERED";
  auto none = row("o-4", "c-1", "PAYMENT_PENDING");
  none.delivery_status = "";
  put(stores, row("o-1", "c-1", "PAID"));  // REQUESTED
  put(stores, row("o-2", "c-2", "PAID"));  // REQUESTED
  put(stores, delivered);
  put(stores, none);
  CHECK(stores.dashboard.deliveries_by_status() ==
        std::map<std::string, std::int64_t>{{"DELIVERED", 1}, {"REQUESTED", 2}});
}

TEST_CASE_TEMPLATE("dashboard store: low stock by the product's threshold or the default",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.put_product_row(product("p-1", "tea", true, 5));      // default 5: low
    tx.put_product_row(product("p-2", "tea", true, 6));      // default 5: not low
    tx.put_product_row(product("p-3", "tea", true, 6, 6));   // own 6: low
    tx.put_product_row(product("p-4", "tea", true, 2, 1));   // own 1: not low
    tx.put_product_row(product("p-5", "tea", false, 0));     // deleted
  });
  CHECK(ids_of(stores.dashboard.low_stock(5, 10)) == Ids{"p-1", "p-3"});
  CHECK(ids_of(stores.dashboard.low_stock(6, 10)) == Ids{"p-1", "p-2", "p-3"});
  CHECK(ids_of(stores.dashboard.low_stock(5, 1)) == Ids{"p-1"});
  CHECK(stores.dashboard.low_stock(5, 10).back() == product("p-3", "tea", true, 6, 6));
}

TEST_CASE_TEMPLATE("dashboard store: clearing empties products and days too", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.dashboard.write([](DashboardTransaction& tx) {
    tx.put_product_row(product("p-1", "tea", true, 5));
    tx.add_day_totals({"2027-01-15", 1, 0, 0, ""});
  });
  stores.dashboard.write([](DashboardTransaction& tx) { tx.clear_read_models(); });
  CHECK_FALSE(stores.dashboard.product_row("p-1"));
  CHECK(stores.dashboard.active_products("", "", 10).empty());
  CHECK(stores.dashboard.day_totals("2027-01-15") == dashboard::DayTotals{"2027-01-15", 0, 0, 0, ""});
}

TEST_CASE_TEMPLATE("dashboard store: storefront and summary agree on every store after replay",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  memory::ManualClock clock;
  auto service = dashboard::make_dashboard_service(
      {stores.dashboard, clock, "KRW", 5, std::chrono::minutes(9 * 60)});
  testing::SagaEvents saga;
  saga.product("p-1", "Green tea", 4500);
  saga.product("p-2", "Cake", 3000, "cake");
  saga.restock("p-1", 10);
  saga.placed("o-1", "c-1", 9000);
  saga.reserve("o-1", {{"p-1", 2}});
  saga.paid("o-1", "c-1", 9000);
  saga.sell("o-1", {{"p-1", 2}});
  saga.low("p-1", 9);
  for (const auto& event : saga.events) service->on_event(event);

  auto products = testing::storefront(*service);
  auto summary = testing::describe(service->summary());
  REQUIRE(products.size() == 2);
  CHECK(products[0].ends_with("on_hand=8 reserved=0 available=8 sequence=3"));
  CHECK(summary ==
        "2027-01-15 orders=1 revenue=9000KRW refunded=0KRW deliveries=[ACCEPTED:0 CANCELLED:0 "
        "DELIVERED:0 DISPATCHED:0 PREPARING:0 REQUESTED:1 ] low=[p-1/Green tea:8<=9 "
        "p-2/Cake:0<=5 ]");
  CHECK(service->replay({}) == std::int64_t(saga.events.size()));
  CHECK(testing::storefront(*service) == products);
  CHECK(testing::describe(service->summary()) == summary);
}
