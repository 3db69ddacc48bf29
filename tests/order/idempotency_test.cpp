#include <doctest/doctest.h>

#include "order/order_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using State = order::IdempotencyBegin::State;

TEST_CASE_FIXTURE(OrderFixture, "an Idempotency-Key: fresh, in progress, replayed, reused") {
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
  CHECK(orders->begin_request("c-1", "k1", "digest-b").state == State::mismatch);
  // Keys are per customer.
  CHECK(orders->begin_request("c-2", "k1", "digest-b").state == State::fresh);

  orders->complete_request("c-1", "k1", 201, R"({"id":"o-1"})");
  auto replay = orders->begin_request("c-1", "k1", "digest-a");
  CHECK(replay.state == State::replay);
  CHECK(replay.status == 201);
  CHECK(replay.body == R"({"id":"o-1"})");
}

TEST_CASE_FIXTURE(OrderFixture, "an abandoned key may be used again; old keys are forgotten") {
  orders->begin_request("c-1", "k1", "digest-a");
  orders->abandon_request("c-1", "k1");
  CHECK(orders->begin_request("c-1", "k1", "digest-b").state == State::fresh);
  orders->complete_request("c-1", "k1", 201, "{}");

  clock.advance(std::chrono::hours(25));
  CHECK(orders->begin_request("c-1", "k1", "digest-c").state == State::fresh);
}

TEST_CASE_FIXTURE(OrderFixture, "a request cut off by a crash is answered from its order") {
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  auto command = this->command(1);
  command.idempotency_key = "k1";
  auto placed = orders->place(command);  // ...and the process dies before responding
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
  clock.advance(std::chrono::seconds(61));
  auto settled = orders->begin_request("c-1", "k1", "digest-a");
  REQUIRE(settled.state == State::settled);
  CHECK(settled.placement.result == order::PlacementResult::paid);
  CHECK(settled.placement.order->id == placed.order->id);
  CHECK(orders->list({}).items.size() == 1);
}

TEST_CASE_FIXTURE(OrderFixture, "a request cut off before its order was written starts over") {
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
  clock.advance(std::chrono::seconds(61));
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::fresh);
  CHECK(orders->begin_request("c-1", "k1", "digest-a").state == State::in_progress);
}
