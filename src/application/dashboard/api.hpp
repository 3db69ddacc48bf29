#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/dashboard/ports.hpp"
#include "application/dashboard/projection_lag.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
#include "application/shared/paging.hpp"
#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// The dashboard's facade: read models built from events alone (CQRS), the
// events it consumed, and their replay.
namespace shop::dashboard {

struct TimelineEntry {
  std::string event;  // the event type without prefix and version: "order.placed"
  Timestamp at;
  std::string event_id;
};

struct OrderView {
  std::string order_id;
  std::string customer_id;
  std::string status;           // as the order module names it; "" until known
  std::string cancel_reason;    // "" unless cancelled
  std::string payment_status;   // "" until a payment event arrived
  std::string delivery_status;  // "" until a delivery event arrived
  Money total;
  std::vector<TimelineEntry> timeline;  // by time, then event id
};

struct CustomerSummary {
  std::string customer_id;
  std::int64_t orders_placed = 0;
  std::int64_t orders_active = 0;     // PAYMENT_PENDING, PAID or IN_DELIVERY
  std::int64_t orders_delivered = 0;
  std::int64_t orders_cancelled = 0;
  Money amount_spent;                 // approved payments
  Money amount_refunded;              // refunded payments
};

// Who watches the stream: staff see every event, a customer only the events
// of their own orders (order, payment and delivery events).
struct StreamViewer {
  bool staff = false;
  std::string customer_id;
};

struct StreamBatch {
  std::vector<StoredEvent> events;  // the ones the viewer may see
  std::int64_t last_position = 0;   // the last stored position looked at
};

// The storefront's view of a product: the catalog's fields with the live
// stock level, built from catalog and stock events.
struct ProductView {
  std::string id;
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
  bool active = false;
  std::int64_t version = 0;         // the product version of these fields
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t available = 0;       // on_hand - reserved
  std::int64_t level_sequence = 0;  // the stock ledger sequence of this level
};

struct ProductQuery {
  std::string category;  // empty: every category
  std::string cursor;    // the next_cursor of the previous page; empty: the first page
  std::size_t limit = default_page_size;  // 1..max_page_size
};

struct ProductPage {
  std::vector<ProductView> items;  // by product id
  std::optional<std::string> next_cursor;
};

struct LowStockProduct {
  std::string product_id;
  std::string name;
  std::int64_t available = 0;
  std::int64_t low_stock_threshold = 0;
};

// The staff's shop summary; "today" is the date in the shop's time zone.
struct ShopSummary {
  std::string date;  // "YYYY-MM-DD"
  std::int64_t orders_today = 0;
  Money revenue_today;   // approved payments whose event time is today
  Money refunded_today;  // refunded payments whose event time is today
  // Every delivery status (zero when none), plus any other status seen.
  std::map<std::string, std::int64_t> deliveries_by_status;
  std::vector<LowStockProduct> low_stock;  // by product id, at most max_page_size
};

class DashboardApi {
 public:
  virtual ~DashboardApi() = default;
  // The one consumer of every module's events: stores the event (once: its
  // id is the key) and updates the read models in the same transaction.
  // Insensitive to the order of events across aggregates.
  virtual void on_event(const EventEnvelope& event) = 0;
  // The same for many events in one transaction: all of them or none.
  virtual void on_events(const std::vector<EventEnvelope>& events) = 0;
  // Failure(not_found) when no event of the order arrived yet.
  virtual OrderView order(const std::string& order_id) = 0;
  // All zeros for a customer with no orders yet.
  virtual CustomerSummary customer(const std::string& customer_id) = 0;
  // Active products only. Failure(invalid) on a limit outside 1..100.
  virtual ProductPage products(const ProductQuery& query) = 0;
  virtual ShopSummary summary() = 0;
  // Rebuilds every read model from the stored events, calling `progress`
  // with (done, total) now and then. Returns how many events were replayed.
  virtual std::int64_t replay(const std::function<void(std::int64_t, std::int64_t)>& progress) = 0;
  // How far the read models trail the modules (for the metrics endpoint).
  virtual LagStats projection_lag() const = 0;
  // The position of the newest stored event (positions run 1, 2, 3...).
  virtual std::int64_t head_position() = 0;
  // The live stream: stored events after `after_position` that `viewer` may
  // see, oldest first, looking at no more than `limit` stored events.
  virtual StreamBatch stream(std::int64_t after_position, const StreamViewer& viewer,
                             std::size_t limit) = 0;
};

struct DashboardDependencies {
  DashboardStore& store;
  Clock& clock;
  std::string currency = "KRW";  // for sums over no orders
  // Used for a product no StockLow event gave its own threshold.
  std::int64_t low_stock_threshold = 5;
  // The shop's time zone: the day of an event is the date of time + offset.
  std::chrono::minutes utc_offset{0};
};

std::unique_ptr<DashboardApi> make_dashboard_service(DashboardDependencies dependencies);

}  // namespace shop::dashboard
