#include "application/wiring/api.hpp"

#include "application/catalog/events.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"

namespace shop::wiring {

void subscribe(EventBus& bus, Consumers c) {
  if (auto* stock = c.stock) {
    bus.subscribe(catalog::ProductCreated::type, "stock",
                  [stock](const EventEnvelope& e) { stock->on_catalog_event(e); });
    bus.subscribe(order::OrderCancelled::type, "stock",
                  [stock](const EventEnvelope& e) { stock->on_order_event(e); });
  }
  if (auto* payments = c.payments) {
    bus.subscribe(order::OrderCancelled::type, "payment",
                  [payments](const EventEnvelope& e) { payments->on_order_event(e); });
  }
  if (auto* orders = c.orders) {
    bus.subscribe(delivery::DeliveryDelivered::type, "order",
                  [orders](const EventEnvelope& e) { orders->on_delivery_event(e); });
  }
  // A batch at a time: one commit for a batch of orders paid.
  if (auto* deliveries = c.deliveries) {
    bus.subscribe_all("delivery", [deliveries](const std::vector<EventEnvelope>& e) {
      deliveries->on_order_events(e);
    });
  }
  // The dashboard keeps every event of every module (its replayable log).
  if (auto* dashboard = c.dashboard) {
    bus.subscribe_all("dashboard", [dashboard](const std::vector<EventEnvelope>& e) {
      dashboard->on_events(e);
    });
  }
}

}  // namespace shop::wiring
