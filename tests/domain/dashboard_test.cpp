#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "domain/dashboard/projection.hpp"

using namespace shop;
using namespace shop::dashboard;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};

Money krw(std::int64_t amount) { return Money{amount, "KRW"}; }

Fact order_fact(const char* status) {
  Fact fact;
  fact.order_id = "o-1";
  fact.customer_id = "c-1";
  fact.order_status = status;
  return fact;
}

Fact payment_fact(const char* status) {
  Fact fact;
  fact.order_id = "o-1";
  fact.payment_status = status;
  return fact;
}

Fact delivery_fact(const char* status) {
  Fact fact;
  fact.order_id = "o-1";
  fact.customer_id = "c-1";
  fact.delivery_status = status;
  return fact;
}

OrderRow apply_all(const std::vector<Fact>& facts) {
  OrderRow row;
  for (const auto& fact : facts) row = apply(row, fact);
  return row;
}

OrderRow row_of(const std::string& customer_id, const char* status, std::int64_t spent = 0,
                std::int64_t refunded = 0) {
  OrderRow row;
  row.customer_id = customer_id;
  row.status = status;
  if (spent) row.spent = krw(spent);
  if (refunded) row.refunded = krw(refunded);
  return row;
}

}  // namespace

TEST_CASE("projection: an order fact sets the order's fields only") {
  Fact placed = order_fact(order_status::payment_pending);
  placed.total = krw(9000);
  OrderRow row = apply(OrderRow{}, placed);
  CHECK(row.order_id == "o-1");
  CHECK(row.customer_id == "c-1");
  CHECK(row.status == "PAYMENT_PENDING");
  CHECK(row.total == krw(9000));
  CHECK(row.payment_status.empty());
  CHECK(row.delivery_status.empty());
  CHECK(row.spent == Money{});

  Fact cancelled = order_fact(order_status::cancelled);
  cancelled.cancel_reason = "changed my mind";
  row = apply(row, cancelled);
  CHECK(row.status == "CANCELLED");
  CHECK(row.cancel_reason == "changed my mind");
  CHECK(row.total == krw(9000));  // not carried: kept
}

TEST_CASE("projection: payment amounts add up, a refund does not undo the spending") {
  Fact approved = payment_fact(payment_status::approved);
  approved.approved = krw(4500);
  Fact refunded = payment_fact(payment_status::cancelled);
  refunded.refunded = krw(4500);
  OrderRow row = apply_all({approved, refunded});
  CHECK(row.payment_status == "CANCELLED");
  CHECK(row.spent == krw(4500));
  CHECK(row.refunded == krw(4500));
  CHECK(row.customer_id.empty());  // payment events do not carry it
  CHECK(row.status.empty());
}

TEST_CASE("projection: the row does not depend on how aggregates interleave") {
  Fact placed = order_fact(order_status::payment_pending);
  placed.total = krw(9000);
  Fact paid = order_fact(order_status::paid);
  paid.total = krw(9000);
  Fact approved = payment_fact(payment_status::approved);
  approved.approved = krw(9000);
  Fact requested = delivery_fact(delivery_status::requested);
  Fact accepted = delivery_fact("ACCEPTED");

  const std::vector<Fact> orders = {placed, paid};
  const std::vector<Fact> payments = {approved};
  const std::vector<Fact> deliveries = {requested, accepted};
  OrderRow expected = apply_all({placed, approved, paid, requested, accepted});
  CHECK(expected.status == "PAID");
  CHECK(expected.payment_status == "APPROVED");
  CHECK(expected.delivery_status == "ACCEPTED");
  CHECK(expected.spent == krw(9000));

  // Every interleaving keeping each aggregate's order: a label per slot.
  std::vector<int> slots = {0, 0, 1, 2, 2};
  int interleavings = 0;
  do {
    std::size_t next[3] = {0, 0, 0};
    const std::vector<Fact>* streams[3] = {&orders, &payments, &deliveries};
    std::vector<Fact> facts;
    for (int slot : slots) facts.push_back((*streams[slot])[next[slot]++]);
    CHECK(apply_all(facts) == expected);
    ++interleavings;
  } while (std::next_permutation(slots.begin(), slots.end()));
  CHECK(interleavings == 30);
}

TEST_CASE("projection: the customer id comes from whichever event carries it") {
  OrderRow row = apply(OrderRow{}, payment_fact(payment_status::approved));
  CHECK(row.customer_id.empty());
  row = apply(row, delivery_fact(delivery_status::requested));
  CHECK(row.customer_id == "c-1");
}

TEST_CASE("projection: event names drop the prefix and the version") {
  CHECK(event_name("shop.order.placed.v1") == "order.placed");
  CHECK(event_name("shop.delivery.status_changed.v12") == "delivery.status_changed");
  CHECK(event_name("shop.payment.cancelled") == "payment.cancelled");
  CHECK(event_name("other") == "other");
}

TEST_CASE("projection: a timeline sorts by time, then event id") {
  std::vector<TimelineRow> rows = {{"o-1", "ev-3", "order.paid", t0 + std::chrono::seconds(2)},
                                   {"o-1", "ev-2", "payment.approved", t0},
                                   {"o-1", "ev-1", "order.placed", t0}};
  sort_timeline(rows);
  CHECK(rows[0].event_id == "ev-1");
  CHECK(rows[1].event_id == "ev-2");
  CHECK(rows[2].event_id == "ev-3");
}

TEST_CASE("projection: active statuses") {
  CHECK(is_active("PAYMENT_PENDING"));
  CHECK(is_active("PAID"));
  CHECK(is_active("IN_DELIVERY"));
  CHECK_FALSE(is_active("DELIVERED"));
  CHECK_FALSE(is_active("CANCELLED"));
  CHECK_FALSE(is_active("PAYMENT_DECLINED"));
  CHECK_FALSE(is_active(""));
}

TEST_CASE("projection: a customer's totals over their order rows") {
  std::vector<OrderRow> rows = {
      row_of("c-1", order_status::delivered, 9000),
      row_of("c-1", order_status::cancelled, 4500, 4500),
      row_of("c-1", order_status::payment_declined),
      row_of("c-1", order_status::paid, 2000),
      row_of("c-1", order_status::payment_pending),
      row_of("c-1", order_status::in_delivery, 1000),
      row_of("c-1", ""),  // only a delivery event arrived yet: not placed
  };
  CustomerTotals totals = summarize(rows);
  CHECK(totals.orders_placed == 6);
  CHECK(totals.orders_active == 3);
  CHECK(totals.orders_delivered == 1);
  CHECK(totals.orders_cancelled == 1);
  CHECK(totals.amount_spent == 16500);
  CHECK(totals.amount_refunded == 4500);
  CHECK(totals.currency == "KRW");

  std::reverse(rows.begin(), rows.end());
  CHECK(summarize(rows) == totals);
  CHECK(summarize({}) == CustomerTotals{});
}

namespace {

CatalogFact catalog_fact(std::int64_t version, const char* name, bool deleted = false) {
  CatalogFact fact;
  fact.product_id = "p-1";
  fact.version = version;
  fact.deleted = deleted;
  fact.sku = "TEA-1";
  fact.name = name;
  fact.description = "leaves";
  fact.price = krw(4500);
  fact.category = "tea";
  return fact;
}

LevelFact level_fact(std::int64_t sequence, std::int64_t on_hand, std::int64_t reserved,
                     std::optional<std::int64_t> threshold = std::nullopt) {
  return LevelFact{"p-1", on_hand, reserved, on_hand - reserved, sequence, threshold};
}

}  // namespace

TEST_CASE("projection: catalog fields keep the highest version; a deletion is final") {
  ProductRow row = apply(ProductRow{}, catalog_fact(2, "Sencha"));
  CHECK(row.product_id == "p-1");
  CHECK(row.active);
  CHECK(row.version == 2);
  CHECK(row.name == "Sencha");
  row = apply(row, catalog_fact(1, "Green tea"));  // older: ignored
  CHECK(row.name == "Sencha");
  CHECK(row.version == 2);
  row = apply(row, catalog_fact(3, "", true));
  CHECK_FALSE(row.active);
  CHECK(row.version == 3);
  CHECK(row.name == "Sencha");  // fields kept
  CHECK_FALSE(apply(row, catalog_fact(3, "Back")).active);
  CHECK_FALSE(apply(row, catalog_fact(2, "Back")).active);
  // A deletion at the version of the last update still wins.
  CHECK_FALSE(apply(apply(ProductRow{}, catalog_fact(2, "x")), catalog_fact(2, "", true)).active);
}

TEST_CASE("projection: the level keeps the highest ledger sequence, in any arrival order") {
  std::vector<LevelFact> facts = {level_fact(1, 10, 0), level_fact(2, 10, 3),
                                  level_fact(3, 7, 0, 8), level_fact(4, 12, 0)};
  std::vector<int> order = {0, 1, 2, 3};
  ProductRow expected;
  for (const auto& fact : facts) expected = apply(expected, fact);
  CHECK(expected.on_hand == 12);
  CHECK(expected.available == 12);
  CHECK(expected.level_sequence == 4);
  CHECK(expected.low_stock_threshold == std::optional<std::int64_t>(8));
  CHECK(expected.threshold_sequence == 3);
  CHECK_FALSE(expected.active);  // no catalog event yet
  int permutations = 0;
  do {
    ProductRow row;
    for (int i : order) row = apply(row, facts[i]);
    CHECK(row == expected);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  CHECK(permutations == 24);
  // Catalog and stock facts commute too.
  ProductRow both = apply(apply(ProductRow{}, facts[3]), catalog_fact(1, "Green tea"));
  CHECK(both == apply(apply(ProductRow{}, catalog_fact(1, "Green tea")), facts[3]));
}

TEST_CASE("projection: events from before sequences (0) follow arrival order") {
  ProductRow row = apply(ProductRow{}, level_fact(0, 10, 0));
  row = apply(row, level_fact(0, 8, 0));
  CHECK(row.on_hand == 8);
  row = apply(row, level_fact(5, 6, 0));
  row = apply(row, level_fact(0, 99, 0));  // unsequenced after sequenced: ignored
  CHECK(row.on_hand == 6);
}

TEST_CASE("projection: low stock against the product's threshold, else the default") {
  ProductRow row = apply(apply(ProductRow{}, catalog_fact(1, "Tea")), level_fact(1, 5, 0));
  CHECK(threshold_of(row, 5) == 5);
  CHECK(is_low(row, 5));
  CHECK_FALSE(is_low(row, 4));
  row = apply(row, level_fact(1, 5, 0, 3));
  CHECK(threshold_of(row, 5) == 3);
  CHECK_FALSE(is_low(row, 5));
  row = apply(row, level_fact(2, 5, 2));  // available 3
  CHECK(is_low(row, 5));
  row = apply(row, catalog_fact(2, "", true));
  CHECK_FALSE(is_low(row, 5));  // deleted products are not listed
  ProductRow unstocked = apply(ProductRow{}, catalog_fact(1, "Tea"));
  CHECK(is_low(unstocked, 0));  // the empty level: available 0
}

TEST_CASE("projection: the day of an event in the shop's time zone") {
  using namespace std::chrono_literals;
  // t0 is 2027-01-15 08:00:00 UTC.
  CHECK(day_of(t0, 0min) == "2027-01-15");
  CHECK(day_of(t0 + 15h + 59min, 0min) == "2027-01-15");
  CHECK(day_of(t0 + 16h, 0min) == "2027-01-16");
  CHECK(day_of(t0 + 15h, 9h) == "2027-01-16");            // 23:00 UTC = 08:00 +09:00
  CHECK(day_of(t0 + 6h + 59min, 9h) == "2027-01-15");    // 14:59 UTC = 23:59 +09:00
  CHECK(day_of(t0 + 7h, 9h) == "2027-01-16");             // 15:00 UTC = 00:00 +09:00
  CHECK(day_of(t0 - 8h, -(5h + 30min)) == "2027-01-14");  // 00:00 UTC = 18:30 the day before
  CHECK(day_of(t0 - 8h - 1ms, 0min) == "2027-01-14");
  CHECK(day_of(Timestamp{}, 0min) == "1970-01-01");
  CHECK(day_of(Timestamp{} - 1ms, 0min) == "1969-12-31");
}

TEST_CASE("projection: day totals are sums, whatever order they come in") {
  DayTotals placed{"2027-01-15", 1, 0, 0, ""};
  DayTotals approved{"2027-01-15", 0, 4500, 0, "KRW"};
  DayTotals refunded{"2027-01-15", 0, 0, 1000, "KRW"};
  DayTotals a = add(add(add(DayTotals{}, placed), approved), refunded);
  DayTotals b = add(add(add(DayTotals{}, refunded), placed), approved);
  CHECK(a == b);
  CHECK(a == DayTotals{"2027-01-15", 1, 4500, 1000, "KRW"});
}
