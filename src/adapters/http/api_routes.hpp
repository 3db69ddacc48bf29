#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/http/parked_events_route.hpp"
#include "adapters/http/router.hpp"
#include "application/catalog/api.hpp"
#include "application/dashboard/api.hpp"
#include "application/delivery/api.hpp"
#include "application/identity/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/shared/outbox.hpp"
#include "application/shared/dead_letters.hpp"
#include "application/stock/api.hpp"

namespace shop::http {

// What the API serves: the facade of each module this process runs (null
// for one that runs elsewhere, whose routes are then not served here), the
// outboxes whose parked events staff can list, and the Kafka consumers'
// dead letters (if any).
struct ApiFacades {
  identity::IdentityApi* identity;
  catalog::CatalogApi* catalog;
  stock::StockApi* stock;
  order::OrderApi* orders;
  payment::PaymentApi* payments;
  delivery::DeliveryApi* deliveries;
  dashboard::DashboardApi* dashboard;
  std::vector<std::pair<std::string, Outbox*>> parked_outboxes;
  DeadLetters* dead_letters = nullptr;
  Redelivery redeliver_dead_letter = {};  // none on the in-process bus
};

// Every route under /api/v1, and /openapi.json: one list for the server,
// the tests and the fuzzer. The health routes are added by whoever knows
// what readiness means there.
void add_api_routes(Router& router, const ApiFacades& facades);

}  // namespace shop::http
