#pragma once

#include <string>

#include "adapters/http/router.hpp"
#include "application/catalog/api.hpp"
#include "application/identity/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/stock/api.hpp"

namespace shop::http {

// The synchronous ports this process offers to the processes running the
// other modules; null for a module that runs elsewhere.
struct InternalPorts {
  identity::TokenLookup* tokens = nullptr;
  catalog::ProductLookup* products = nullptr;
  stock::Reservations* reservations = nullptr;
  payment::Payments* payments = nullptr;
  order::Dispatch* dispatch = nullptr;
};

// Header carrying the secret shared by the processes of one shop.
inline constexpr const char* service_token_header = "shopbox-service-token";

// Routes under /internal/v1, one per port call, answered only to a caller
// that presents `service_token` (at least 16 characters) in the
// Shopbox-Service-Token header; anyone else gets 404, as if they did not
// exist. A refusal travels as the usual problem document, so that the
// caller's port rethrows the same Failure.
void add_internal_routes(Router& router, const InternalPorts& ports,
                         const std::string& service_token);

}  // namespace shop::http
