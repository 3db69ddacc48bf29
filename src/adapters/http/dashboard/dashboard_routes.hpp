#pragma once

#include "adapters/http/router.hpp"
#include "application/dashboard/api.hpp"

namespace shop::http {

// The read side: GET /api/v1/dashboard/orders/{id} (owner, staff) and
// GET /api/v1/dashboard/customers/{id} (self, staff), the storefront's
// GET /api/v1/dashboard/products (anyone) and GET /api/v1/dashboard/summary
// (staff).
void add_dashboard_routes(Router& router, dashboard::DashboardApi& dashboard);

}  // namespace shop::http
