#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/delivery/delivery.hpp"
#include "failure_check.hpp"

using namespace shop;
using namespace shop::delivery;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};
const Address address{"Kim", "1 Sejong-daero", "", "Seoul", "04524", "010-1234-5678"};

Delivery requested() { return Delivery::request("d-1", "o-1", "c-1", address, t0); }

// A delivery moved along the path up to `status`.
Delivery at(Status status) {
  Delivery delivery = requested();
  for (int step = 1; step <= static_cast<int>(status); ++step) {
    delivery.advance(static_cast<Status>(step), t0);
  }
  return delivery;
}

const std::vector<Status> path = {Status::requested, Status::accepted, Status::preparing,
                                  Status::dispatched, Status::delivered};

}  // namespace

TEST_CASE("a requested delivery keeps what it was created with") {
  Delivery delivery = requested();
  const DeliveryData& d = delivery.data();
  CHECK(d.id == "d-1");
  CHECK(d.order_id == "o-1");
  CHECK(d.customer_id == "c-1");
  CHECK(d.address == address);
  CHECK(d.status == Status::requested);
  CHECK(d.cancel_reason.empty());
  CHECK(d.created_at == t0);
  CHECK(d.updated_at == t0);
  CHECK_FALSE(delivery.dispatch_begun());
}

TEST_CASE("advance moves one step at a time along the path") {
  Delivery delivery = requested();
  for (std::size_t i = 1; i < path.size(); ++i) {
    CAPTURE(to_string(path[i]));
    CHECK(delivery.advance(path[i], t0 + std::chrono::minutes(i)));
    CHECK(delivery.status() == path[i]);
    CHECK(delivery.data().updated_at == t0 + std::chrono::minutes(i));
    CHECK(delivery.data().created_at == t0);
  }
  CHECK(delivery.dispatch_begun());
}

TEST_CASE("advancing to the current status is a no-op") {
  for (Status status : path) {
    CAPTURE(to_string(status));
    Delivery delivery = at(status);
    CHECK_FALSE(delivery.advance(status, t0 + 1h));
    CHECK(delivery.status() == status);
    CHECK(delivery.data().updated_at == t0);
  }
  Delivery cancelled = requested();
  cancelled.cancel("changed my mind", t0);
  CHECK_FALSE(cancelled.advance(Status::cancelled, t0 + 1h));
}

TEST_CASE("advance refuses skipping, going back, and anything after the end") {
  for (std::size_t from = 0; from < path.size(); ++from) {
    for (std::size_t to = 0; to < path.size(); ++to) {
      if (to == from || to == from + 1) continue;
      CAPTURE(to_string(path[from]));
      CAPTURE(to_string(path[to]));
      Delivery delivery = at(path[from]);
      CHECK_FAILURE(FailureKind::conflict, "invalid_transition", delivery.advance(path[to], t0 + 1h));
      CHECK(delivery.status() == path[from]);
      CHECK(delivery.data().updated_at == t0);
    }
  }
}

TEST_CASE("cancelled is no step of the path, and a cancelled delivery moves no more") {
  Delivery delivery = at(Status::delivered);
  CHECK_FAILURE(FailureKind::conflict, "invalid_transition", delivery.advance(Status::cancelled, t0));
  Delivery accepted = at(Status::accepted);
  CHECK_FAILURE(FailureKind::conflict, "invalid_transition", accepted.advance(Status::cancelled, t0));
  CHECK(accepted.status() == Status::accepted);

  Delivery cancelled = requested();
  cancelled.cancel("payment_expired", t0);
  for (Status status : path) {
    CAPTURE(to_string(status));
    CHECK_FAILURE(FailureKind::conflict, "invalid_transition", cancelled.advance(status, t0));
  }
  CHECK(cancelled.status() == Status::cancelled);
}

TEST_CASE("cancel works before dispatch, once, and keeps the reason") {
  for (Status status : {Status::requested, Status::accepted, Status::preparing}) {
    CAPTURE(to_string(status));
    Delivery delivery = at(status);
    CHECK(delivery.cancel("changed my mind", t0 + 1min));
    CHECK(delivery.status() == Status::cancelled);
    CHECK(delivery.data().cancel_reason == "changed my mind");
    CHECK(delivery.data().updated_at == t0 + 1min);
    CHECK_FALSE(delivery.cancel("again", t0 + 2min));
    CHECK(delivery.data().cancel_reason == "changed my mind");
    CHECK(delivery.data().updated_at == t0 + 1min);
  }
}

TEST_CASE("cancel is refused once dispatch has begun") {
  for (Status status : {Status::dispatched, Status::delivered}) {
    CAPTURE(to_string(status));
    Delivery delivery = at(status);
    CHECK_FAILURE(FailureKind::conflict, "delivery_dispatched", delivery.cancel("late", t0 + 1min));
    CHECK(delivery.status() == status);
    CHECK(delivery.data().cancel_reason.empty());
  }
}

TEST_CASE("statuses are upper-case words that read back") {
  std::vector<std::string> names;
  for (int i = 0; i < 6; ++i) {
    auto status = static_cast<Status>(i);
    names.push_back(to_string(status));
    CHECK(status_from_string(to_string(status)) == status);
  }
  CHECK(names == std::vector<std::string>{"REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED",
                                          "DELIVERED", "CANCELLED"});
  CHECK_FALSE(status_from_string("requested"));
  CHECK_FALSE(status_from_string(""));
  CHECK_FALSE(status_from_string("LOST"));
}

TEST_CASE("restore gives back the delivery as it was stored") {
  DeliveryData data{"d-9", "o-9", "c-9", address, Status::cancelled, "stock_expired", t0, t0 + 1h};
  Delivery delivery = Delivery::restore(data);
  CHECK(delivery.data().status == Status::cancelled);
  CHECK(delivery.data().cancel_reason == "stock_expired");
  CHECK(delivery.data().updated_at == t0 + 1h);
  CHECK(delivery.id() == "d-9");
  CHECK(delivery.order_id() == "o-9");
}
