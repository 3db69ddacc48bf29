#include "adapters/http/api_routes.hpp"

#include "adapters/http/catalog/catalog_routes.hpp"
#include "adapters/http/dashboard/dashboard_routes.hpp"
#include "adapters/http/delivery/delivery_routes.hpp"
#include "adapters/http/health_routes.hpp"
#include "adapters/http/identity/identity_routes.hpp"
#include "adapters/http/order/order_routes.hpp"
#include "adapters/http/parked_events_route.hpp"
#include "adapters/http/payment/payment_routes.hpp"
#include "adapters/http/stock/stock_routes.hpp"

namespace shop::http {

void add_api_routes(Router& router, const ApiFacades& facades) {
  if (facades.identity) add_identity_routes(router, *facades.identity, facades.orders);
  if (facades.catalog) add_catalog_routes(router, *facades.catalog);
  if (facades.stock) add_stock_routes(router, *facades.stock);
  if (facades.orders) add_order_routes(router, *facades.orders);
  // An order's payments are shown to whoever may see the order.
  if (facades.payments && facades.orders) {
    add_payment_routes(router, *facades.payments, *facades.orders);
  }
  if (facades.deliveries) add_delivery_routes(router, *facades.deliveries);
  if (facades.dashboard) add_dashboard_routes(router, *facades.dashboard);
  add_openapi_route(router);
  add_parked_events_route(router, facades.parked_outboxes);
  add_dead_letters_route(router, facades.dead_letters, facades.redeliver_dead_letter);
}

}  // namespace shop::http
