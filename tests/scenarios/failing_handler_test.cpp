#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>

#include "scenarios/scenario_helpers.hpp"

using namespace shop::testing;

TEST_CASE("scenario 11: a handler that throws neither fails nor holds up orders") {
  AppOptions options;
  options.max_delivery_attempts = 3;
  App app(options);
  std::atomic<int> attempts{0};
  app.bus.subscribe(shop::order::OrderPlaced::type, "broken-mailer",
                    [&](const shop::EventEnvelope&) {
                      ++attempts;
                      throw std::runtime_error("mail server down");
                    });
  auto staff = app.staff_token();
  auto kim = app.customer_token("kim@x.kr");
  auto tea = app.create_product("TEA", 10);
  auto client = app.client();

  auto placed = place(client, kim, App::order_body(tea, 1), "key-1");
  REQUIRE(placed.status == 201);
  auto id = text(placed.json(), "id");
  app.settle();  // drained: the event was retried, then parked

  // The batch it came in failed first; then its own three deliveries.
  CHECK(attempts == 1 + 3);
  auto parked = app.order_store.outbox().parked(10);
  REQUIRE(parked.size() == 1);
  CHECK(parked[0].record.event.type == shop::order::OrderPlaced::type);
  CHECK(parked[0].error.find("mail server down") != std::string::npos);
  // The events after it still flowed: the paid order got its delivery.
  CHECK(text(delivery_of(client, staff, id), "status") == "REQUESTED");
  // And the next order is placed as before.
  CHECK(place(client, kim, App::order_body(tea, 1), "key-2").status == 201);
}
