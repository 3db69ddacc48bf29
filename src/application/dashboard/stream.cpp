#include "application/dashboard/stream.hpp"

#include <optional>
#include <string>

#include "application/delivery/events.hpp"
#include "application/payment/events.hpp"

namespace shop::dashboard {

namespace {

// The order an event belongs to: order events name it as their subject,
// payment and delivery events in their data; other events belong to none.
std::optional<std::string> order_of(const EventEnvelope& event) {
  if (event.type.starts_with("shop.order.")) return event.subject;
  if (event.type.starts_with("shop.payment.")) {
    return payment::decode_payment_approved(event.data).order_id;  // every payment event has it
  }
  if (event.type.starts_with("shop.delivery.")) {
    return delivery::decode_delivery_requested(event.data).order_id;
  }
  return std::nullopt;
}

bool visible_to(DashboardStore& store, const StreamViewer& viewer, const EventEnvelope& event) {
  if (viewer.staff) return true;
  auto order_id = order_of(event);
  if (!order_id) return false;
  auto row = store.order_row(*order_id);
  return row && row->customer_id == viewer.customer_id;
}

}  // namespace

StreamBatch read_stream(DashboardStore& store, std::int64_t after_position,
                        const StreamViewer& viewer, std::size_t limit) {
  StreamBatch batch;
  batch.last_position = after_position;
  for (auto& stored : store.stored_events(after_position, limit)) {
    batch.last_position = stored.position;
    if (visible_to(store, viewer, stored.event)) batch.events.push_back(std::move(stored));
  }
  return batch;
}

}  // namespace shop::dashboard
