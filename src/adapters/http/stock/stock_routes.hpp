#pragma once

#include "adapters/http/router.hpp"
#include "application/stock/api.hpp"

namespace shop::http {

void add_stock_routes(Router& router, stock::StockApi& stock);

}  // namespace shop::http
