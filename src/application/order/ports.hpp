#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/order/order.hpp"
#include "domain/shared/time.hpp"

namespace shop::order {

// A stored Idempotency-Key: in progress until the response is known, then
// the response itself, replayed byte for byte.
struct IdempotencyRecord {
  std::string customer_id;
  std::string key;
  std::string body_digest;
  bool completed = false;
  int status = 0;
  std::string body;
  Timestamp created_at;
  std::string order_id;  // set once the request's order is written
};

// The work of one write transaction: all or nothing.
class OrderTransaction {
 public:
  virtual ~OrderTransaction() = default;
  virtual std::optional<Order> find(const std::string& order_id) = 0;
  virtual void save(const Order& order) = 0;
  virtual std::optional<IdempotencyRecord> idempotency(const std::string& customer_id,
                                                       const std::string& key) = 0;
  virtual void save(const IdempotencyRecord& record) = 0;
  virtual void forget(const std::string& customer_id, const std::string& key) = 0;
  // Forgets every key stored before `cutoff`; returns how many.
  virtual std::size_t forget_keys_before(Timestamp cutoff) = 0;
  // The inbox: true the first time `consumer` sees `event_id`.
  virtual bool first_delivery(const std::string& consumer, const std::string& event_id) = 0;
  virtual void publish(const EventEnvelope& event) = 0;
};

struct OrderFilter {
  std::optional<Status> status;
  std::string customer_id;  // empty: every customer
  std::string before_id;    // empty: from the newest
  std::size_t limit = 20;
};

class OrderStore {
 public:
  virtual ~OrderStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(OrderTransaction&)>& work) = 0;
  virtual std::optional<Order> find(const std::string& order_id) = 0;
  virtual std::optional<IdempotencyRecord> idempotency(const std::string& customer_id,
                                                       const std::string& key) = 0;
  // Visible orders matching the filter, newest (highest id) first.
  virtual std::vector<Order> list(const OrderFilter& filter) = 0;
  // How many orders are in each status (statuses with none are left out).
  virtual std::vector<std::pair<Status, std::int64_t>> count_by_status() = 0;
  // Ids of orders whose saga has something to do by `now`, oldest first:
  // unfinished, and for a deferred payment, due. Waiting sagas are skipped
  // so that a long outage's deferred orders cannot crowd out the others.
  virtual std::vector<std::string> unfinished(Timestamp now, std::size_t limit) = 0;
};

}  // namespace shop::order
