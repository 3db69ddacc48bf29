#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/delivery/delivery.hpp"

// What the delivery module needs from the outside world; adapters implement these.
namespace shop::delivery {

// The work of one write transaction: all or nothing. Adapters serialise
// writers, so what `find` and `by_order` return cannot change before commit.
class DeliveryTransaction {
 public:
  virtual ~DeliveryTransaction() = default;
  virtual std::optional<Delivery> find(const std::string& delivery_id) = 0;
  virtual std::optional<Delivery> by_order(const std::string& order_id) = 0;
  // Inserts or updates by id. Failure(conflict, "delivery_exists") when
  // another delivery already has the order id: one delivery per order.
  virtual void save(const Delivery& delivery) = 0;
  // The inbox: true the first time `consumer` sees `event_id`, false after,
  // decided by a unique key rather than a read-then-write.
  virtual bool first_delivery(const std::string& consumer, const std::string& event_id) = 0;
  // Appends to the delivery outbox, committed with the rest.
  virtual void publish(const EventEnvelope& event) = 0;
};

struct DeliveryFilter {
  std::optional<Status> status;  // none: every status
  std::string order_id;          // empty: any
  std::string customer_id;       // empty: any
  std::string before_id;         // empty: from the newest
  std::size_t limit = 20;
};

class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(DeliveryTransaction&)>& work) = 0;
  virtual std::optional<Delivery> find(const std::string& delivery_id) = 0;
  virtual std::optional<Delivery> by_order(const std::string& order_id) = 0;
  // Deliveries matching the filter with ids below `before_id`, newest
  // (highest id) first.
  virtual std::vector<Delivery> list(const DeliveryFilter& filter) = 0;
};

}  // namespace shop::delivery
