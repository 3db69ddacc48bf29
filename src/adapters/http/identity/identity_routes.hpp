#pragma once

#include "adapters/http/router.hpp"
#include "application/identity/api.hpp"
#include "application/order/api.hpp"

namespace shop::http {

// Users, sessions, and a user's page with their most recent orders (when
// `orders` runs in this process; null otherwise).
void add_identity_routes(Router& router, identity::IdentityApi& identity,
                         order::OrderApi* orders);

}  // namespace shop::http
