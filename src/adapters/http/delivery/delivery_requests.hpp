#pragma once

#include "adapters/http/message.hpp"
#include "application/delivery/api.hpp"

// Delivery's request bodies, readable on their own (the fuzzers use them).
namespace shop::http {

// POST /deliveries/{id}/status. Throws Failure (415, 400 or 422) naming each bad field.
delivery::DeliveryStatus read_status_change(const Request& request);

}  // namespace shop::http
