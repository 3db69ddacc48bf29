#include <doctest/doctest.h>

#include <stdexcept>

#include "application/outbox_reading.hpp"
#include "sqlite/store_fixtures.hpp"

using namespace shop;
using namespace std::chrono_literals;
using payment::Payment;
using payment::PaymentStatus;

namespace {

Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

Payment started(const std::string& order_id, Timestamp now = at(1000)) {
  return Payment::start("pay-" + order_id, order_id, "c-1", {9000, "KRW"}, "card", "tok_ok", now);
}

std::vector<std::string> order_ids(const std::vector<Payment>& payments) {
  std::vector<std::string> ids;
  for (const auto& payment : payments) ids.push_back(payment.order_id());
  return ids;
}

template <class Stores>
void save(Stores& stores, const Payment& payment) {
  stores.payment.write([&](payment::PaymentTransaction& tx) { tx.save(payment); });
}

}  // namespace

TEST_CASE_TEMPLATE("payment store: a payment round-trips with every field", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_FALSE(stores.payment.by_order("o1"));
  auto payment = started("o1");
  payment.mark_unknown("read timeout", at(1500));
  payment.cancel_pending("payment_unavailable", at(1600));
  payment.approve("ch-1", at(2000));
  payment.request_refund("payment_unavailable", at(9000), at(2000));
  payment.refund_failed_attempt("provider down", {8, 1000ms}, at(3000));
  save(stores, payment);

  auto found = stores.payment.by_order("o1");
  REQUIRE(found);
  const auto& d = found->data();
  CHECK(d.id == "pay-o1");
  CHECK(d.order_id == "o1");
  CHECK(d.customer_id == "c-1");
  CHECK(d.amount == Money{9000, "KRW"});
  CHECK(d.method == "card");
  CHECK(d.token == "tok_ok");
  CHECK(d.status == PaymentStatus::refund_pending);
  CHECK(d.charge_reference == "ch-1");
  CHECK_FALSE(d.charge_unknown);
  CHECK(d.abandoned);
  CHECK(d.failure_reason == "provider down");
  CHECK(d.refund_reason == "payment_unavailable");
  CHECK(d.refund_reference.empty());
  CHECK(d.refund_attempts == 1);
  CHECK(d.next_refund_at == at(4000));
  CHECK(d.created_at == at(1000));
  CHECK(d.updated_at == at(3000));

  // Updated in place, seen the same inside a transaction.
  found->refunded("re-1", at(5000));
  save(stores, *found);
  stores.payment.write([](payment::PaymentTransaction& tx) {
    auto again = tx.by_order("o1");
    REQUIRE(again);
    CHECK(again->status() == PaymentStatus::cancelled);
    CHECK(again->data().refund_reference == "re-1");
    CHECK(again->data().updated_at == at(5000));
    CHECK_FALSE(tx.by_order("o2"));
  });
}

TEST_CASE_TEMPLATE("payment store: one payment per order", Stores, testing::MemoryStores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  save(stores, started("o1"));
  auto second = Payment::start("pay-other", "o1", "c-1", {1, "KRW"}, "card", "tok_ok", at(0));
  CHECK_THROWS(save(stores, second));
  CHECK(stores.payment.by_order("o1")->id() == "pay-o1");
}

TEST_CASE_TEMPLATE("payment store: refunds due, most overdue first", Stores, testing::MemoryStores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  auto refunding = [&](const std::string& order_id, Timestamp due) {
    auto payment = started(order_id);
    payment.approve("ch-" + order_id, at(1000));
    payment.request_refund("cancelled", due, at(1000));
    save(stores, payment);
  };
  refunding("o1", at(5000));
  refunding("o2", at(3000));
  refunding("o3", at(9000));
  auto done = started("o4");
  done.approve("ch", at(1000));
  done.request_refund("cancelled", at(1000), at(1000));
  done.refunded("re", at(1000));
  save(stores, done);
  save(stores, started("o5"));

  CHECK(stores.payment.refunds_due(at(2999), 10).empty());
  CHECK(order_ids(stores.payment.refunds_due(at(5000), 10)) ==
        std::vector<std::string>{"o2", "o1"});
  CHECK(order_ids(stores.payment.refunds_due(at(10000), 2)) ==
        std::vector<std::string>{"o2", "o1"});
  CHECK(stores.payment.refunds_due(at(10000), 10).size() == 3);
}

TEST_CASE_TEMPLATE("payment store: unknown charges are pending ones whose call went unanswered",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  auto unknown = [&](const std::string& order_id, Timestamp created) {
    auto payment = started(order_id, created);
    payment.mark_unknown("timeout", created);
    return payment;
  };
  save(stores, unknown("o1", at(2000)));
  save(stores, unknown("o2", at(1000)));
  auto answered = unknown("o3", at(500));
  answered.approve("ch-3", at(3000));
  save(stores, answered);
  auto failed = started("o4", at(100));
  failed.mark_pending("provider down", at(100));
  save(stores, failed);

  CHECK(order_ids(stores.payment.unknown_charges(10)) == std::vector<std::string>{"o2", "o1"});
  CHECK(order_ids(stores.payment.unknown_charges(1)) == std::vector<std::string>{"o2"});
}

TEST_CASE_TEMPLATE("payment store: the inbox and the outbox commit with the state", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  EventEnvelope event{"ev-1", "shop.payment.approved.v1",  "/shopbox/payment", "pay-o1",
                      at(1),  R"({"payment_id":"pay-o1"})"};
  stores.payment.write([&](payment::PaymentTransaction& tx) {
    CHECK(tx.first_delivery("payment", "e1"));
    CHECK_FALSE(tx.first_delivery("payment", "e1"));
    CHECK(tx.first_delivery("dashboard", "e1"));
    tx.save(started("o1"));
    tx.publish(event);
  });
  CHECK(testing::pending_events(stores.payment_outbox()) == std::vector<EventEnvelope>{event});

  // A rolled-back handler handled nothing, saved nothing, published nothing.
  CHECK_THROWS(stores.payment.write([&](payment::PaymentTransaction& tx) {
    CHECK(tx.first_delivery("payment", "e2"));
    tx.save(started("o2"));
    tx.publish(EventEnvelope{"ev-2", "t", "s", "x", at(2), "{}"});
    throw std::runtime_error("handler failed");
  }));
  CHECK_FALSE(stores.payment.by_order("o2"));
  CHECK(testing::pending_events(stores.payment_outbox()).size() == 1);
  stores.payment.write([](payment::PaymentTransaction& tx) {
    CHECK(tx.first_delivery("payment", "e2"));
    CHECK_FALSE(tx.first_delivery("payment", "e1"));
  });
}

TEST_CASE_TEMPLATE("payment store: the table refuses what the domain would never produce", Stores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  auto data = started("o1").data();
  data.amount.amount = 0;
  CHECK_THROWS(save(stores, Payment::restore(data)));
  data = started("o1").data();
  data.refund_attempts = -1;
  CHECK_THROWS(save(stores, Payment::restore(data)));
  CHECK_FALSE(stores.payment.by_order("o1"));
}

TEST_CASE("sqlite payment store: a stored payment survives a restart") {
  testing::SqliteFixture fixture;
  {
    sqlite::SqlitePaymentStore store(*fixture.database);
    store.write([](payment::PaymentTransaction& tx) { tx.save(started("o1")); });
  }
  fixture.reopen();
  sqlite::SqlitePaymentStore store(*fixture.database);
  auto found = store.by_order("o1");
  REQUIRE(found);
  CHECK(found->status() == PaymentStatus::pending);
}
