#include <doctest/doctest.h>

#include "domain/failure_check.hpp"
#include "order/order_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using order::PlacementResult;
using State = order::IdempotencyBegin::State;

namespace {

order::StoredAnswer answer_of(const order::Placement& placement) {
  int status = placement.result == PlacementResult::paid ? 201 : 402;
  return {status, R"({"id":")" + (placement.order ? placement.order->id : "") + R"("})"};
}

}  // namespace

struct KeyedFixture : OrderFixture {
  order::PlaceOrder keyed(const std::string& key, std::int64_t tea = 1) {
    auto placed = command(tea);
    placed.idempotency_key = key;
    placed.body_digest = "digest-a";
    return placed;
  }
};

TEST_CASE_FIXTURE(KeyedFixture, "a key is claimed with its order and its answer kept with the last step") {
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  // Nothing is written before the order.
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  auto command = keyed("k1");
  command.answer = answer_of;
  auto placed = orders->place(command);
  REQUIRE(placed.result == PlacementResult::paid);
  CHECK(placed.request_settled);

  auto replay = orders->begin_request("c-1", "k1", "digest-a");
  CHECK(replay.state == State::replay);
  CHECK(replay.status == 201);
  CHECK(replay.body == R"({"id":")" + placed.order->id + R"("})");
  CHECK(orders->begin_request("c-1", "k1", "digest-b").state == State::mismatch);
  // Keys are per customer.
  CHECK(orders->begin_request("c-2", "k1", "digest-b").state == State::fresh);
}

TEST_CASE_FIXTURE(KeyedFixture, "a declined payment's answer is kept, a shortage's is not") {
  payments.answers = {payment::AuthorizationResult::declined};
  auto declined = keyed("k1");
  declined.answer = answer_of;
  REQUIRE(orders->place(declined).result == PlacementResult::payment_declined);
  CHECK(orders->begin_request("c-1", "k1", "digest-a").status == 402);

  auto short_of_stock = keyed("k2", 11);
  short_of_stock.answer = answer_of;
  auto refused = orders->place(short_of_stock);
  REQUIRE(refused.result == PlacementResult::out_of_stock);
  CHECK(refused.request_settled);
  // Freed, so that a retry may succeed once there is stock.
  CHECK(orders->begin_request("c-1", "k2", "digest-a").state == State::fresh);
  stock->restock("tea", 5);
  CHECK(orders->place(short_of_stock).result == PlacementResult::paid);
}

TEST_CASE_FIXTURE(KeyedFixture, "a second request with a claimed key is refused and writes nothing") {
  auto command = keyed("k1");  // no encoder: the caller completes the request
  orders->place(command);
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
  CHECK_FAILURE(FailureKind::conflict, "request_in_progress", orders->place(command));
  CHECK(orders->list({}).items.size() == 1);
  CHECK(available("tea") == 9);
  CHECK(payments.authorized.size() == 1);
}

TEST_CASE_FIXTURE(KeyedFixture, "an answer the caller stores is replayed; old keys are forgotten") {
  auto command = keyed("k1");
  auto placed = orders->place(command);
  CHECK_FALSE(placed.request_settled);
  orders->complete_request("c-1", "k1", 201, "{}");
  CHECK(orders->begin_request("c-1", "k1", "digest-a").body == "{}");

  clock.advance(std::chrono::hours(25));
  CHECK(orders->begin_request("c-1", "k1", "digest-c").state == State::fresh);
  CHECK(orders->place(command).result == PlacementResult::paid);
  CHECK(orders->list({}).items.size() == 2);
}

TEST_CASE_FIXTURE(KeyedFixture, "a request cut off by a crash is answered from its order") {
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  auto placed = orders->place(keyed("k1"));  // ...and the process dies before responding
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
  clock.advance(std::chrono::seconds(61));
  auto settled = orders->begin_request("c-1", "k1", "digest-a");
  REQUIRE(settled.state == State::settled);
  CHECK(settled.placement.result == order::PlacementResult::paid);
  CHECK(settled.placement.order->id == placed.order->id);
  CHECK(orders->list({}).items.size() == 1);
}

TEST_CASE_FIXTURE(KeyedFixture, "a key left without an order (by an older version) starts over") {
  store.write([&](order::OrderTransaction& tx) {
    tx.save(order::IdempotencyRecord{"c-1", "k1", "digest-a", false, 0, "", clock.now(), ""});
  });
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
  clock.advance(std::chrono::seconds(61));
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  CHECK(orders->place(keyed("k1")).result == PlacementResult::paid);
}
