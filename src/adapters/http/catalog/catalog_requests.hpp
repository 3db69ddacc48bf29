#pragma once

#include "adapters/http/message.hpp"
#include "application/catalog/api.hpp"

// The catalog's request bodies, readable on their own (the fuzzers use them).
namespace shop::http {

// POST and PUT /products. Throws Failure (415, 400 or 422) naming each bad field.
catalog::ProductInput read_product_input(const Request& request);

}  // namespace shop::http
