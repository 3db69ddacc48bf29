#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/delivery/ports.hpp"
#include "application/order/api.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/paging.hpp"
#include "domain/shared/time.hpp"

// The delivery module's facade: the store's delivery board.
namespace shop::delivery {

enum class DeliveryStatus { requested, accepted, preparing, dispatched, delivered, cancelled };
const char* to_string(DeliveryStatus status);
std::optional<DeliveryStatus> delivery_status_from_string(const std::string& text);

struct DeliveryView {
  std::string id;
  std::string order_id;
  std::string customer_id;
  DeliveryStatus status = DeliveryStatus::requested;
  order::DeliveryAddress address;
  std::string cancel_reason;
  Timestamp created_at;
  Timestamp updated_at;
};

struct DeliveryQuery {
  std::optional<DeliveryStatus> status;
  std::string order_id;     // empty: any
  std::string customer_id;  // empty: any (a customer's own board sets it)
  std::string cursor;
  std::size_t limit = default_page_size;
};

struct DeliveryPage {
  std::vector<DeliveryView> items;
  std::optional<std::string> next_cursor;
};

class DeliveryApi {
 public:
  virtual ~DeliveryApi() = default;
  // Staff move a delivery one step along REQUESTED -> ACCEPTED -> PREPARING
  // -> DISPATCHED -> DELIVERED. Skipping a step, going back, or moving a
  // cancelled or delivered one: Failure(conflict). Before DISPATCHED it calls
  // order's begin_dispatch (outside its own transaction), whose refusal
  // (a cancelled order) is passed on. Moving to the current status again is
  // a no-op that returns the delivery.
  virtual DeliveryView advance(const std::string& delivery_id, DeliveryStatus target) = 0;
  // Failure(not_found).
  virtual DeliveryView get(const std::string& delivery_id) = 0;
  // Newest first.
  virtual DeliveryPage list(const DeliveryQuery& query) = 0;
  // Consumer of order events, a relay batch at a time (other events in it
  // are ignored): order.paid creates a REQUESTED delivery (once per order);
  // order.cancelled cancels it unless it was dispatched. The batch is one
  // transaction: all of it is handled, or (it throws) none of it.
  virtual void on_order_events(const std::vector<EventEnvelope>& events) = 0;
};

struct DeliveryDependencies {
  DeliveryStore& store;
  order::Dispatch& dispatch;
  Clock& clock;
  IdGenerator& ids;
};

std::unique_ptr<DeliveryApi> make_delivery_service(DeliveryDependencies dependencies);

}  // namespace shop::delivery
