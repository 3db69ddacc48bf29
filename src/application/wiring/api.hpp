#pragma once

#include "application/dashboard/api.hpp"
#include "application/delivery/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/shared/event_bus.hpp"
#include "application/stock/api.hpp"

// Who consumes which event, in one place for the process and its tests.
namespace shop::wiring {

// The consuming modules this process runs; null for one that runs elsewhere.
struct Consumers {
  stock::StockApi* stock;
  payment::PaymentApi* payments;
  order::OrderApi* orders;
  delivery::DeliveryApi* deliveries;
  dashboard::DashboardApi* dashboard;
};

// Subscribes each module's handlers (each idempotent by its inbox) to the
// events it consumes, and the dashboard to every event.
void subscribe(EventBus& bus, Consumers consumers);

}  // namespace shop::wiring
