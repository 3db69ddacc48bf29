#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/dashboard/projection.hpp"

namespace shop::dashboard {

// An event as the dashboard stored it; `position` orders the stored events
// (the order they were first received in) for replay.
struct StoredEvent {
  std::int64_t position = 0;
  EventEnvelope event;

  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

// The work of one write transaction: all or nothing.
class DashboardTransaction {
 public:
  virtual ~DashboardTransaction() = default;
  // Stores the event under its id, which doubles as the inbox: true the
  // first time, false after (decided by the key, not a read-then-write).
  virtual bool store_event(const EventEnvelope& event) = 0;
  virtual std::optional<OrderRow> order_row(const std::string& order_id) = 0;
  virtual void put_order_row(const OrderRow& row) = 0;
  // Keyed by (order_id, event_id): adding the same step twice is a no-op.
  virtual void add_timeline_entry(const TimelineRow& entry) = 0;
  virtual std::optional<ProductRow> product_row(const std::string& product_id) = 0;
  virtual void put_product_row(const ProductRow& row) = 0;
  // Adds the counters of `delta` to those of its date (from zero the first
  // time): an update by sums, whatever order the deltas come in.
  virtual void add_day_totals(const DayTotals& delta) = 0;
  // Empties every read model; the stored events stay.
  virtual void clear_read_models() = 0;
  // The stored events, as DashboardStore offers them, within this transaction.
  virtual std::vector<StoredEvent> stored_events(std::int64_t after_position,
                                                 std::size_t limit) = 0;
  virtual std::int64_t event_count() = 0;
};

class DashboardStore {
 public:
  virtual ~DashboardStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(DashboardTransaction&)>& work) = 0;
  virtual std::optional<OrderRow> order_row(const std::string& order_id) = 0;
  // The order's steps by time, then event id.
  virtual std::vector<TimelineRow> timeline(const std::string& order_id) = 0;
  // Totals over the rows whose customer_id is `customer_id` (the rule of
  // domain summarize, computed at query time).
  virtual CustomerTotals customer_totals(const std::string& customer_id) = 0;
  virtual std::optional<ProductRow> product_row(const std::string& product_id) = 0;
  // Active products whose id is greater than `after_id`, by id, at most
  // `limit`; only those of `category` unless it is empty.
  virtual std::vector<ProductRow> active_products(const std::string& category,
                                                  const std::string& after_id,
                                                  std::size_t limit) = 0;
  // The counters of `date`; zeros (with that date) when nothing happened then.
  virtual DayTotals day_totals(const std::string& date) = 0;
  // How many order rows have each non-empty delivery status.
  virtual std::map<std::string, std::int64_t> deliveries_by_status() = 0;
  // Active products that are low (domain is_low with `default_threshold`),
  // by id, at most `limit`.
  virtual std::vector<ProductRow> low_stock(std::int64_t default_threshold,
                                            std::size_t limit) = 0;
  // Stored events after `after_position`, by position.
  virtual std::vector<StoredEvent> stored_events(std::int64_t after_position,
                                                 std::size_t limit) = 0;
  virtual std::int64_t event_count() = 0;
};

}  // namespace shop::dashboard
