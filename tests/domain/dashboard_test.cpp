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
