#pragma once

#include <cstdint>

#include "adapters/http/message.hpp"
#include "application/stock/api.hpp"

// Stock's request bodies, readable on their own (the fuzzers use them).
namespace shop::http {

// POST /stock/{id}/restock. Throws Failure (415, 400 or 422) naming each bad field.
std::int64_t read_restock_quantity(const Request& request);
// PUT /stock/{id}, likewise.
stock::StockTake read_stock_take(const Request& request);

}  // namespace shop::http
