#pragma once

#include "adapters/http/router.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"

namespace shop::http {

// GET /api/v1/payments?order_id= : the order's owner or staff.
void add_payment_routes(Router& router, payment::PaymentApi& payments, order::OrderApi& orders);

}  // namespace shop::http
