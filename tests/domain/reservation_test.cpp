#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/stock/reservation.hpp"
#include "domain/stock/stock_level.hpp"
#include "failure_check.hpp"

using namespace shop;
using namespace shop::stock;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};
const Timestamp expiry = t0 + 15min;

Reservation held(std::vector<ReservedLine> lines = {{"p-1", 2}}) {
  return Reservation::hold("o-1", std::move(lines), expiry, t0);
}

std::vector<ReservedLine> lines_of(const Reservation& reservation) {
  return {reservation.lines().begin(), reservation.lines().end()};
}

}  // namespace

TEST_CASE("hold merges lines of the same product and sorts them by product id") {
  Reservation reservation =
      held({{"p-3", 1}, {"p-1", 2}, {"p-3", 4}, {"p-2", 1}, {"p-1", 1}});
  CHECK(lines_of(reservation) ==
        std::vector<ReservedLine>{{"p-1", 3}, {"p-2", 1}, {"p-3", 5}});
  CHECK(reservation.order_id() == "o-1");
  CHECK(reservation.status() == ReservationStatus::held);
  CHECK(reservation.expires_at() == expiry);
  CHECK(reservation.updated_at() == t0);
}

TEST_CASE("hold refuses an empty or oversized order") {
  CHECK_INVALID_FIELD("items", held({}));
  std::vector<ReservedLine> many;
  for (int i = 0; i < 101; ++i) many.push_back({"p-" + std::to_string(i), 1});
  CHECK_INVALID_FIELD("items", held(many));
  many.pop_back();
  CHECK(held(many).lines().size() == 100);
  CHECK_INVALID_FIELD("order_id", Reservation::hold("", {{"p-1", 1}}, expiry, t0));
}

TEST_CASE("hold refuses zero, negative and huge quantities, naming the line") {
  CHECK_INVALID_FIELD("items[1].quantity", held({{"p-1", 1}, {"p-2", 0}}));
  CHECK_INVALID_FIELD("items[0].quantity", held({{"p-1", -3}}));
  CHECK_INVALID_FIELD("items[0].quantity", held({{"p-1", max_quantity + 1}}));
  CHECK(held({{"p-1", max_quantity}}).lines()[0].quantity == max_quantity);
  // Two lines fine on their own may add up to too much once merged.
  CHECK_INVALID_FIELD("items[1].quantity", held({{"p-1", max_quantity}, {"p-1", 1}}));
}

TEST_CASE("hold refuses a missing product id") {
  CHECK_INVALID_FIELD("items[0].product_id", held({{"", 1}}));
  CHECK_INVALID_FIELD("items[1].product_id", held({{"p-1", 1}, {"p\x01", 1}}));
}

TEST_CASE("confirm is idempotent: true once, then false") {
  Reservation reservation = held();
  CHECK(reservation.confirm(t0 + 1min));
  CHECK(reservation.status() == ReservationStatus::confirmed);
  CHECK(reservation.updated_at() == t0 + 1min);
  CHECK_FALSE(reservation.confirm(t0 + 2min));
  CHECK(reservation.status() == ReservationStatus::confirmed);
  CHECK(reservation.updated_at() == t0 + 1min);
}

TEST_CASE("release is idempotent and final") {
  Reservation reservation = held();
  CHECK(reservation.release(t0 + 1min));
  CHECK(reservation.status() == ReservationStatus::released);
  CHECK_FALSE(reservation.release(t0 + 2min));
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", reservation.confirm(t0 + 3min));
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", reservation.give_back(t0 + 3min));
  CHECK(reservation.status() == ReservationStatus::released);
}

TEST_CASE("release after confirm is a conflict: the units were sold") {
  Reservation reservation = held();
  reservation.confirm(t0 + 1min);
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", reservation.release(t0 + 2min));
  CHECK(reservation.status() == ReservationStatus::confirmed);
  CHECK(reservation.updated_at() == t0 + 1min);
}

TEST_CASE("give_back only after confirm, and only once") {
  Reservation reservation = held();
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", reservation.give_back(t0 + 1min));
  CHECK(reservation.status() == ReservationStatus::held);

  reservation.confirm(t0 + 1min);
  CHECK(reservation.give_back(t0 + 2min));
  CHECK(reservation.status() == ReservationStatus::returned);
  CHECK_FALSE(reservation.give_back(t0 + 3min));
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", reservation.release(t0 + 3min));
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", reservation.confirm(t0 + 3min));
}

TEST_CASE("a held reservation expires at its deadline, a settled one never") {
  Reservation reservation = held();
  CHECK_FALSE(reservation.expired(t0));
  CHECK_FALSE(reservation.expired(expiry - 1ms));
  CHECK(reservation.expired(expiry));
  CHECK(reservation.expired(expiry + 1h));

  Reservation confirmed = held();
  confirmed.confirm(t0 + 1min);
  CHECK_FALSE(confirmed.expired(expiry + 1h));

  Reservation released = held();
  released.release(t0 + 1min);
  CHECK_FALSE(released.expired(expiry + 1h));
}

TEST_CASE("restore keeps status and sorts lines") {
  Reservation reservation = Reservation::restore("o-7", {{"p-b", 1}, {"p-a", 2}},
                                                 ReservationStatus::confirmed, expiry, t0 + 1s);
  CHECK(lines_of(reservation) == std::vector<ReservedLine>{{"p-a", 2}, {"p-b", 1}});
  CHECK(reservation.status() == ReservationStatus::confirmed);
  CHECK(reservation.updated_at() == t0 + 1s);
}

TEST_CASE("reservation status names round-trip") {
  for (auto status : {ReservationStatus::held, ReservationStatus::confirmed,
                      ReservationStatus::released, ReservationStatus::returned}) {
    CHECK(reservation_status_from_string(to_string(status)) == status);
  }
  CHECK(std::string(to_string(ReservationStatus::held)) == "HELD");
  CHECK_FALSE(reservation_status_from_string("held").has_value());
}
