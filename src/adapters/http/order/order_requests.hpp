#pragma once

#include <string>

#include "adapters/http/message.hpp"
#include "application/order/api.hpp"

// The order module's request bodies, readable on their own (the fuzzers use them).
namespace shop::http {

// POST /orders, for `customer_id`. Throws Failure (415, 400 or 422) naming each bad field.
order::PlaceOrder read_place_order(const Request& request, const std::string& customer_id);
// POST /orders/{id}/cancel: the optional reason; an empty body gives "".
std::string read_cancel_reason(const Request& request);

}  // namespace shop::http
