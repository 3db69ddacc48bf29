#include <algorithm>
#include <utility>

#include "application/catalog/events.hpp"
#include "application/order/events.hpp"
#include "application/stock/api.hpp"
#include "application/stock/events.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::stock {

namespace {

constexpr const char* consumer_name = "stock";

StockView view_of(const StockLevel& level) {
  return StockView{level.product_id(), level.on_hand(), level.reserved(), level.available(),
                   level.low_stock_threshold()};
}

LevelChange change_of(const StockLevel& level, std::int64_t quantity, std::int64_t sequence) {
  return LevelChange{level.product_id(), quantity, level.on_hand(), level.reserved(),
                     level.available(), sequence};
}

Failure no_reservation(const std::string& order_id) {
  return Failure(FailureKind::not_found, "reservation_not_found",
                 "no reservation for order " + order_id);
}

class StockService final : public StockApi {
 public:
  explicit StockService(StockDependencies deps) : deps_(std::move(deps)) {}

  StockView level(const std::string& product_id) override {
    require_product(product_id);
    if (auto level = deps_.store.level(product_id)) return view_of(*level);
    return view_of(StockLevel::empty(product_id, deps_.settings.default_low_stock_threshold));
  }

  StockView restock(const std::string& product_id, std::int64_t quantity) override {
    validate_quantity(quantity, "quantity");
    ensure_known(product_id);
    std::optional<StockLevel> result;
    deps_.store.write([&](StockTransaction& tx) {
      StockLevel level = load(tx, product_id);
      bool was_low = level.is_low();
      auto entry = level.restock(quantity);
      auto sequence = commit_movement(tx, level, entry, was_low);
      publish(tx, StockRestocked{change_of(level, quantity, sequence)});
      result = level;
    });
    return view_of(*result);
  }

  StockView take(const std::string& product_id, const StockTake& take) override {
    ensure_known(product_id);
    std::optional<StockLevel> result;
    deps_.store.write([&](StockTransaction& tx) {
      StockLevel level = load(tx, product_id);
      bool was_low = level.is_low();
      std::int64_t previous = level.on_hand();
      if (take.low_stock_threshold) level.set_low_stock_threshold(*take.low_stock_threshold);
      auto entry = level.take(take.expected_on_hand, take.on_hand);
      auto sequence = commit_movement(tx, level, entry, was_low);
      publish(tx, StockAdjusted{change_of(level, take.on_hand - previous, sequence), previous});
      result = level;
    });
    return view_of(*result);
  }

  std::vector<LedgerRow> ledger(const std::string& product_id, std::int64_t after_sequence,
                                std::size_t limit) override {
    return deps_.store.ledger(product_id, after_sequence, limit);
  }

  ReserveOutcome reserve(const std::string& order_id,
                         const std::vector<ReservationLine>& lines) override {
    std::vector<ReservedLine> requested;
    for (const auto& line : lines) requested.push_back({line.product_id, line.quantity});
    Timestamp now = deps_.clock.now();
    Reservation reservation = Reservation::hold(
        order_id, std::move(requested),
        now + std::chrono::duration_cast<std::chrono::milliseconds>(deps_.settings.reservation_ttl),
        now);

    ReserveOutcome outcome;
    deps_.store.write([&](StockTransaction& tx) {
      outcome = ReserveOutcome{};  // a store may run the work again: start afresh
      if (auto existing = tx.reservation(order_id)) {
        if (!std::ranges::equal(existing->lines(), reservation.lines())) {
          throw Failure(FailureKind::conflict, "reservation_mismatch",
                        "order " + order_id + " already reserved other lines");
        }
        // A hold whose time ran out is as good as released, swept or not.
        outcome.reserved = existing->status() != ReservationStatus::released &&
                           !existing->expired(deps_.clock.now());
        return;
      }
      // Levels in product-id order: the same order for every writer.
      std::vector<StockLevel> levels;
      for (const auto& line : reservation.lines()) {
        levels.push_back(load(tx, line.product_id));
        if (levels.back().available() < line.quantity) {
          outcome.shortages.push_back({line.product_id, line.quantity, levels.back().available()});
        }
      }
      if (!outcome.shortages.empty()) return;
      StockReserved event;
      event.order_id = order_id;
      for (std::size_t i = 0; i < levels.size(); ++i) {
        const auto& line = reservation.lines()[i];
        bool was_low = levels[i].is_low();
        auto entry = levels[i].reserve(line.quantity, order_id);
        auto sequence = commit_movement(tx, levels[i], entry, was_low);
        event.lines.push_back(change_of(levels[i], line.quantity, sequence));
      }
      tx.save(reservation);
      publish(tx, event);
      outcome.reserved = true;
    });
    return outcome;
  }

  void confirm(const std::string& order_id) override {
    bool expired = false;
    deps_.store.write([&](StockTransaction& tx) {
      expired = false;
      auto reservation = tx.reservation(order_id);
      if (!reservation) throw no_reservation(order_id);
      Timestamp now = deps_.clock.now();
      if (reservation->expired(now)) {
        // Too late: the units were promised for a limited time only.
        release_in(tx, *reservation, "expired", now);
        expired = true;
        return;
      }
      if (reservation->status() == ReservationStatus::released) {
        expired = true;
        return;
      }
      if (!reservation->confirm(now)) return;
      StockSold event;
      event.order_id = order_id;
      move_lines(tx, *reservation, event, &StockLevel::sell);
      tx.save(*reservation);
      publish(tx, event);
    });
    if (expired) {
      throw Failure(FailureKind::conflict, "reservation_expired",
                    "the reservation of order " + order_id + " was released");
    }
  }

  void release(const std::string& order_id, const std::string& reason) override {
    deps_.store.write([&](StockTransaction& tx) {
      auto reservation = tx.reservation(order_id);
      if (!reservation) return;
      release_in(tx, *reservation, reason, deps_.clock.now());
    });
  }

  void return_units(const std::string& order_id) override {
    deps_.store.write([&](StockTransaction& tx) {
      auto reservation = tx.reservation(order_id);
      if (!reservation) throw no_reservation(order_id);
      return_in(tx, *reservation, deps_.clock.now());
    });
  }

  std::size_t release_expired() override {
    std::size_t released = 0;
    for (const auto& order_id : deps_.store.expired_reservations(deps_.clock.now(), 500)) {
      bool released_now = false;
      deps_.store.write([&](StockTransaction& tx) {
        auto reservation = tx.reservation(order_id);
        Timestamp now = deps_.clock.now();
        released_now = reservation && reservation->expired(now);
        if (released_now) release_in(tx, *reservation, "expired", now);
      });
      if (released_now) ++released;
    }
    return released;
  }

  void on_catalog_event(const EventEnvelope& event) override {
    if (event.type != catalog::ProductCreated::type) return;
    auto created = catalog::decode_product_created(event.data);
    deps_.store.write([&](StockTransaction& tx) {
      if (!tx.first_delivery(consumer_name, event.id)) return;
      if (tx.level(created.product.product_id)) return;
      tx.save(StockLevel::empty(created.product.product_id,
                                deps_.settings.default_low_stock_threshold));
    });
  }

  void on_order_event(const EventEnvelope& event) override {
    if (event.type != order::OrderCancelled::type) return;
    auto cancelled = order::decode_order_cancelled(event.data);
    deps_.store.write([&](StockTransaction& tx) {
      if (!tx.first_delivery(consumer_name, event.id)) return;
      auto reservation = tx.reservation(cancelled.order_id);
      if (!reservation) return;
      Timestamp now = deps_.clock.now();
      if (reservation->status() == ReservationStatus::held) {
        release_in(tx, *reservation, "order_cancelled", now);
      } else if (reservation->status() == ReservationStatus::confirmed) {
        return_in(tx, *reservation, now);
      }
    });
  }

 private:
  void require_product(const std::string& product_id) {
    if (!deps_.products.find_active(product_id)) {
      throw Failure(FailureKind::not_found, "product_not_found", "no product with id " + product_id);
    }
  }

  // Asks the catalog before, never inside, the write transaction: a deleted
  // product's stock is no longer managed.
  void ensure_known(const std::string& product_id) {
    validate_text(product_id, "product_id", 1, 100);
    require_product(product_id);
  }

  StockLevel load(StockTransaction& tx, const std::string& product_id) {
    if (auto level = tx.level(product_id)) return *level;
    return StockLevel::empty(product_id, deps_.settings.default_low_stock_threshold);
  }

  // Saves the level and its ledger row; returns the row's sequence. StockLow
  // carries the sequence of the movement that crossed the threshold.
  std::int64_t commit_movement(StockTransaction& tx, const StockLevel& level,
                               const LedgerEntry& entry, bool was_low) {
    tx.save(level);
    std::int64_t sequence = tx.record(entry, deps_.clock.now());
    if (!was_low && level.is_low()) {
      publish(tx, StockLow{change_of(level, 0, sequence), level.low_stock_threshold()});
    }
    return sequence;
  }

  template <class Event>
  void move_lines(StockTransaction& tx, const Reservation& reservation, Event& event,
                  LedgerEntry (StockLevel::*movement)(std::int64_t, const std::string&)) {
    for (const auto& line : reservation.lines()) {
      StockLevel level = load(tx, line.product_id);
      bool was_low = level.is_low();
      auto entry = (level.*movement)(line.quantity, reservation.order_id());
      auto sequence = commit_movement(tx, level, entry, was_low);
      event.lines.push_back(change_of(level, line.quantity, sequence));
    }
  }

  void release_in(StockTransaction& tx, Reservation& reservation, const std::string& reason,
                  Timestamp now) {
    if (!reservation.release(now)) return;
    StockReleased event;
    event.order_id = reservation.order_id();
    event.reason = reason;
    move_lines(tx, reservation, event, &StockLevel::release);
    tx.save(reservation);
    publish(tx, event);
  }

  void return_in(StockTransaction& tx, Reservation& reservation, Timestamp now) {
    if (!reservation.give_back(now)) return;
    StockReturned event;
    event.order_id = reservation.order_id();
    move_lines(tx, reservation, event, &StockLevel::take_back);
    tx.save(reservation);
    publish(tx, event);
  }

  template <class Event>
  void publish(StockTransaction& tx, const Event& event) {
    tx.publish(make_envelope(event, deps_.ids.next(), deps_.clock.now()));
  }

  StockDependencies deps_;
};

}  // namespace

std::unique_ptr<StockApi> make_stock_service(StockDependencies dependencies) {
  return std::make_unique<StockService>(std::move(dependencies));
}

}  // namespace shop::stock
