#include <doctest/doctest.h>

#include "sqlite/store_fixtures.hpp"

using namespace shop;
using order::IdempotencyRecord;
using order::Order;

namespace {

Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

Order order_of(const std::string& id, const std::string& customer) {
  return Order::start(id, customer,
                      {{"p-1", "TEA", "녹차", Money{4500, "KRW"}, 2}, {"p-2", "CUP", "Cup", Money{1000, "KRW"}, 1}},
                      {"Kim", "1 Road", "Apt 2", "Seoul", "04524", "010"}, "card", "tok_ok", at(10));
}

template <class Stores>
void save(Stores& stores, const Order& order) {
  stores.order.write([&](order::OrderTransaction& tx) { tx.save(order); });
}

}  // namespace

TEST_CASE_TEMPLATE("order store: an order and its saga state round-trip", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  Order order = order_of("o-1", "c-1");
  save(stores, order);
  auto found = stores.order.find("o-1");
  REQUIRE(found);
  CHECK(found->data().lines == order.data().lines);
  CHECK(found->data().address == order.data().address);
  CHECK(found->data().total == Money{10000, "KRW"});
  CHECK(found->step() == order::Step::reserving);
  CHECK_FALSE(found->data().retry_at);

  found->stock_reserved(at(20));
  found->payment_unavailable(true, at(500), at(9000), at(30));
  save(stores, *found);
  auto deferred = stores.order.find("o-1");
  CHECK(deferred->status() == order::Status::payment_pending);
  CHECK(deferred->step() == order::Step::awaiting_retry);
  CHECK(deferred->data().retry_at == at(500));
  CHECK(deferred->data().payment_deadline == at(9000));
  CHECK(deferred->data().payment_attempts == 1);
  CHECK(deferred->data().updated_at == at(30));
  CHECK(deferred->data().lines.size() == 2);  // saving again keeps the lines once
}

TEST_CASE_TEMPLATE("order store: lists show visible orders newest first, unfinished ones by age",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  for (const char* id : {"o-1", "o-2", "o-3", "o-4"}) {
    Order order = order_of(id, std::string(id) == "o-3" ? "c-2" : "c-1");
    if (std::string(id) != "o-4") order.stock_reserved(at(20));  // o-4 is still invisible
    save(stores, order);
  }
  auto ids = [](const std::vector<Order>& orders) {
    std::vector<std::string> found;
    for (const auto& o : orders) found.push_back(o.id());
    return found;
  };
  CHECK(ids(stores.order.list({std::nullopt, "", "", 10})) == std::vector<std::string>{"o-3", "o-2", "o-1"});
  CHECK(ids(stores.order.list({std::nullopt, "", "o-3", 1})) == std::vector<std::string>{"o-2"});
  CHECK(ids(stores.order.list({std::nullopt, "c-1", "", 10})) == std::vector<std::string>{"o-2", "o-1"});
  CHECK(stores.order.list({order::Status::paid, "", "", 10}).empty());
  CHECK(stores.order.unfinished(at(0), 10) == std::vector<std::string>{"o-1", "o-2", "o-3", "o-4"});
  // A deferred payment waits until its retry is due.
  auto deferred = *stores.order.find("o-2");
  deferred.payment_unavailable(true, at(500), at(9000), at(30));
  save(stores, deferred);
  CHECK(stores.order.unfinished(at(499), 10) == std::vector<std::string>{"o-1", "o-3", "o-4"});
  CHECK(stores.order.unfinished(at(500), 10) == std::vector<std::string>{"o-1", "o-2", "o-3", "o-4"});
}

TEST_CASE_TEMPLATE("order store: idempotency keys per customer, forgotten by age", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.order.write([](order::OrderTransaction& tx) {
    tx.save(IdempotencyRecord{"c-1", "k", "d1", false, 0, "", at(100), ""});
    tx.save(IdempotencyRecord{"c-2", "k", "d2", true, 201, R"({"id":"o"})", at(200), "o-9"});
  });
  auto read = stores.order.idempotency("c-2", "k");
  REQUIRE(read);
  CHECK(read->body == R"({"id":"o"})");
  CHECK(read->order_id == "o-9");
  CHECK(read->created_at == at(200));
  CHECK_FALSE(stores.order.idempotency("c-3", "k"));
  stores.order.write([](order::OrderTransaction& tx) {
    auto first = tx.idempotency("c-1", "k");
    REQUIRE(first);
    CHECK_FALSE(first->completed);
    CHECK(first->body_digest == "d1");
    auto second = tx.idempotency("c-2", "k");
    REQUIRE(second);
    CHECK(second->status == 201);
    CHECK(second->body == R"({"id":"o"})");
    CHECK(second->order_id == "o-9");
    CHECK(tx.forget_keys_before(at(150)) == 1);
    CHECK_FALSE(tx.idempotency("c-1", "k"));
    tx.forget("c-2", "k");
    CHECK_FALSE(tx.idempotency("c-2", "k"));
  });
}
