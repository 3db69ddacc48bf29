#include <doctest/doctest.h>

#include "application/delivery/events.hpp"
#include "application/outbox_reading.hpp"
#include "delivery_fixture.hpp"
#include "domain/failure_check.hpp"

using namespace shop;
using namespace shop::testing;
using delivery::DeliveryStatus;

TEST_CASE_FIXTURE(DeliveryFixture, "order.paid creates one REQUESTED delivery, however often it comes") {
  auto event = paid("o-1", "c-7");
  deliveries->on_order_events({event});
  deliveries->on_order_events({event});  // redelivered by the bus
  deliveries->on_order_events({paid("o-1", "c-7")});  // a second event for the same order

  auto page = deliveries->list({});
  REQUIRE(page.items.size() == 1);
  const auto& view = page.items[0];
  CHECK(view.order_id == "o-1");
  CHECK(view.customer_id == "c-7");
  CHECK(view.status == DeliveryStatus::requested);
  CHECK(view.address == kim_address);
  CHECK(view.cancel_reason.empty());
  CHECK(view.created_at == clock.now());
  CHECK(view.updated_at == clock.now());

  auto requested = pending_events(store.inner, delivery::DeliveryRequested::type);
  REQUIRE(requested.size() == 1);
  CHECK(requested[0].subject == view.id);
  auto data = delivery::decode_delivery_requested(requested[0].data);
  CHECK(data.delivery_id == view.id);
  CHECK(data.order_id == "o-1");
  CHECK(data.customer_id == "c-7");
  CHECK(pending_events(store.inner).size() == 1);
}

TEST_CASE_FIXTURE(DeliveryFixture, "a delivery runs the whole path to DELIVERED, with its events") {
  auto view = request("o-1");
  const std::vector<DeliveryStatus> steps = {DeliveryStatus::accepted, DeliveryStatus::preparing,
                                             DeliveryStatus::dispatched, DeliveryStatus::delivered};
  for (auto step : steps) {
    clock.advance(std::chrono::minutes(5));
    view = deliveries->advance(view.id, step);
    CHECK(view.status == step);
    CHECK(view.updated_at == clock.now());
  }
  CHECK(deliveries->get(view.id).status == DeliveryStatus::delivered);
  CHECK(dispatch.calls == std::vector<std::string>{"o-1"});
  CHECK_FALSE(dispatch.called_inside_transaction);

  CHECK(types_of(pending_events(store.inner)) ==
        std::vector<std::string>{"shop.delivery.requested.v1", "shop.delivery.status_changed.v1",
                                 "shop.delivery.status_changed.v1", "shop.delivery.status_changed.v1",
                                 "shop.delivery.status_changed.v1", "shop.delivery.delivered.v1"});
  std::vector<std::pair<std::string, std::string>> moves;
  for (const auto& event : pending_events(store.inner, delivery::DeliveryStatusChanged::type)) {
    auto changed = delivery::decode_delivery_status_changed(event.data);
    CHECK(changed.delivery_id == view.id);
    CHECK(changed.order_id == "o-1");
    moves.emplace_back(changed.from, changed.to);
  }
  CHECK(moves == std::vector<std::pair<std::string, std::string>>{{"REQUESTED", "ACCEPTED"},
                                                                  {"ACCEPTED", "PREPARING"},
                                                                  {"PREPARING", "DISPATCHED"},
                                                                  {"DISPATCHED", "DELIVERED"}});
  auto delivered = pending_events(store.inner, delivery::DeliveryDelivered::type);
  REQUIRE(delivered.size() == 1);
  CHECK(delivery::decode_delivery_delivered(delivered[0].data).customer_id == "c-1");
}

TEST_CASE_FIXTURE(DeliveryFixture, "skipping a step is a 409 that changes nothing and asks nobody") {
  auto view = request("o-1");
  auto before = pending_events(store.inner).size();
  CHECK_FAILURE(FailureKind::conflict, "invalid_transition",
                deliveries->advance(view.id, DeliveryStatus::preparing));
  // Straight to DISPATCHED: refused before the order is told to dispatch.
  CHECK_FAILURE(FailureKind::conflict, "invalid_transition",
                deliveries->advance(view.id, DeliveryStatus::dispatched));
  CHECK(dispatch.calls.empty());

  auto accepted = deliveries->advance(view.id, DeliveryStatus::accepted);
  CHECK_FAILURE(FailureKind::conflict, "invalid_transition",
                deliveries->advance(view.id, DeliveryStatus::requested));
  CHECK_FAILURE(FailureKind::conflict, "invalid_transition",
                deliveries->advance(view.id, DeliveryStatus::cancelled));
  CHECK(deliveries->get(view.id).status == DeliveryStatus::accepted);
  CHECK(deliveries->get(view.id).updated_at == accepted.updated_at);
  CHECK(pending_events(store.inner).size() == before + 1);
}

TEST_CASE_FIXTURE(DeliveryFixture, "moving to the current status again returns the delivery, and nothing else") {
  auto view = delivery_at("o-1", DeliveryStatus::dispatched);
  auto before = pending_events(store.inner).size();
  clock.advance(std::chrono::minutes(1));
  auto again = deliveries->advance(view.id, DeliveryStatus::dispatched);
  CHECK(again.status == DeliveryStatus::dispatched);
  CHECK(again.updated_at == view.updated_at);
  CHECK(dispatch.calls.size() == 1);
  CHECK(pending_events(store.inner).size() == before);
}

TEST_CASE_FIXTURE(DeliveryFixture, "a dispatch the order refuses is a 409 and the delivery stays PREPARING") {
  auto view = delivery_at("o-1", DeliveryStatus::preparing);
  auto before = pending_events(store.inner).size();
  dispatch.cancelled.insert("o-1");
  CHECK_FAILURE(FailureKind::conflict, "order_cancelled",
                deliveries->advance(view.id, DeliveryStatus::dispatched));
  CHECK(dispatch.calls == std::vector<std::string>{"o-1"});
  CHECK_FALSE(dispatch.called_inside_transaction);
  CHECK(deliveries->get(view.id).status == DeliveryStatus::preparing);
  CHECK(pending_events(store.inner).size() == before);
}

TEST_CASE_FIXTURE(DeliveryFixture, "begin_dispatch is called outside the store's transactions") {
  auto view = delivery_at("o-1", DeliveryStatus::preparing);
  deliveries->advance(view.id, DeliveryStatus::dispatched);
  REQUIRE(dispatch.calls.size() == 1);
  CHECK_FALSE(dispatch.called_inside_transaction);
  // The fake does see a transaction when there is one.
  store.write([&](delivery::DeliveryTransaction&) { dispatch.begin_dispatch("o-2"); });
  CHECK(dispatch.called_inside_transaction);
}

TEST_CASE_FIXTURE(DeliveryFixture, "order.cancelled cancels a delivery not yet dispatched") {
  for (auto status : {DeliveryStatus::requested, DeliveryStatus::accepted, DeliveryStatus::preparing}) {
    std::string order_id = std::string("o-") + delivery::to_string(status);
    CAPTURE(order_id);
    auto view = delivery_at(order_id, status);
    auto before = pending_events(store.inner, delivery::DeliveryCancelled::type).size();
    clock.advance(std::chrono::minutes(1));
    auto event = cancelled(order_id, "changed my mind");
    deliveries->on_order_events({event});
    deliveries->on_order_events({event});

    auto after = deliveries->get(view.id);
    CHECK(after.status == DeliveryStatus::cancelled);
    CHECK(after.cancel_reason == "changed my mind");
    CHECK(after.updated_at == clock.now());
    auto events = pending_events(store.inner, delivery::DeliveryCancelled::type);
    REQUIRE(events.size() == before + 1);
    auto data = delivery::decode_delivery_cancelled(events.back().data);
    CHECK(data.delivery_id == view.id);
    CHECK(data.order_id == order_id);
    CHECK(data.reason == "changed my mind");
  }
}

TEST_CASE_FIXTURE(DeliveryFixture, "order.cancelled leaves a dispatched delivery alone") {
  for (auto status : {DeliveryStatus::dispatched, DeliveryStatus::delivered}) {
    std::string order_id = std::string("o-") + delivery::to_string(status);
    CAPTURE(order_id);
    auto view = delivery_at(order_id, status);
    auto before = pending_events(store.inner).size();
    CHECK_NOTHROW(deliveries->on_order_events({cancelled(order_id, "too late")}));
    CHECK(deliveries->get(view.id).status == status);
    CHECK(deliveries->get(view.id).cancel_reason.empty());
    CHECK(pending_events(store.inner).size() == before);
  }
}

TEST_CASE_FIXTURE(DeliveryFixture, "order.cancelled without a delivery, and other order events, change nothing") {
  deliveries->on_order_events({cancelled("o-unpaid", "payment_expired")});
  auto placed = paid("o-1");
  placed.type = "shop.order.placed.v1";
  deliveries->on_order_events({placed});
  CHECK(deliveries->list({}).items.empty());
  CHECK(pending_events(store.inner).empty());
}

TEST_CASE_FIXTURE(DeliveryFixture, "a malformed order.paid throws and leaves nothing behind") {
  auto event = paid("o-1");
  event.data = R"({"order_id":"o-1"})";
  CHECK_THROWS_AS(deliveries->on_order_events({event}), std::runtime_error);
  CHECK(deliveries->list({}).items.empty());
  CHECK(pending_events(store.inner).empty());
}

TEST_CASE_FIXTURE(DeliveryFixture, "an unknown delivery is not found") {
  CHECK_FAILURE(FailureKind::not_found, "delivery_not_found", deliveries->get("nope"));
  CHECK_FAILURE(FailureKind::not_found, "delivery_not_found",
                deliveries->advance("nope", DeliveryStatus::accepted));
  CHECK(dispatch.calls.empty());
}

TEST_CASE_FIXTURE(DeliveryFixture, "a batch of order events is handled in order, all or nothing") {
  deliveries->on_order_events({paid("o-1"), paid("o-2"), cancelled("o-1", "changed my mind")});
  auto board = deliveries->list({});
  REQUIRE(board.items.size() == 2);
  for (const auto& delivery : board.items) {
    CHECK(delivery.status == (delivery.order_id == "o-1" ? shop::delivery::DeliveryStatus::cancelled
                                                         : shop::delivery::DeliveryStatus::requested));
  }

  auto broken = paid("o-4");
  broken.data = R"({"order_id":"o-4"})";
  CHECK_THROWS_AS(deliveries->on_order_events({paid("o-3"), broken}), std::runtime_error);
  CHECK(deliveries->list({}).items.size() == 2);  // o-3 went with the batch
}
