#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/dashboard/ports.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
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

class DashboardApi {
 public:
  virtual ~DashboardApi() = default;
  // The one consumer of every module's events: stores the event (once: its
  // id is the key) and updates the read models in the same transaction.
  // Insensitive to the order of events across aggregates.
  virtual void on_event(const EventEnvelope& event) = 0;
  // Failure(not_found) when no event of the order arrived yet.
  virtual OrderView order(const std::string& order_id) = 0;
  // All zeros for a customer with no orders yet.
  virtual CustomerSummary customer(const std::string& customer_id) = 0;
  // Rebuilds every read model from the stored events, calling `progress`
  // with (done, total) now and then. Returns how many events were replayed.
  virtual std::int64_t replay(const std::function<void(std::int64_t, std::int64_t)>& progress) = 0;
};

struct DashboardDependencies {
  DashboardStore& store;
  Clock& clock;
  std::string currency = "KRW";  // for sums over no orders
};

std::unique_ptr<DashboardApi> make_dashboard_service(DashboardDependencies dependencies);

}  // namespace shop::dashboard
