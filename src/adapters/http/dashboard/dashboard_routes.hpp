#pragma once

#include "adapters/http/router.hpp"
#include "application/dashboard/api.hpp"

namespace shop::http {

// The read side: GET /api/v1/dashboard/orders/{id} (owner, staff) and
// GET /api/v1/dashboard/customers/{id} (self, staff).
void add_dashboard_routes(Router& router, dashboard::DashboardApi& dashboard);

}  // namespace shop::http
