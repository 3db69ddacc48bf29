#pragma once

#include <boost/json/object.hpp>

#include "application/order/api.hpp"

namespace shop::http {

// The order as the API shows it (SPEC 3, POST /orders).
boost::json::object order_json(const order::OrderView& order);

}  // namespace shop::http
