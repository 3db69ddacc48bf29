#pragma once

#include "adapters/http/router.hpp"
#include "application/order/api.hpp"

namespace shop::http {

void add_order_routes(Router& router, order::OrderApi& orders);

}  // namespace shop::http
