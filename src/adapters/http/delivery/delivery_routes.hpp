#pragma once

#include "adapters/http/router.hpp"
#include "application/delivery/api.hpp"

namespace shop::http {

// The delivery board: staff see and move every delivery; a customer sees
// only their own.
void add_delivery_routes(Router& router, delivery::DeliveryApi& deliveries);

}  // namespace shop::http
