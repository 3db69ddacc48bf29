#pragma once

#include "adapters/http/router.hpp"
#include "application/catalog/api.hpp"
#include "application/shared/event.hpp"

namespace shop::http {

void add_catalog_routes(Router& router, catalog::CatalogApi& catalog);
// Drops the kept answer for the product an event of the catalog names.
void forget_changed_product(ResponseCache& cache, const EventEnvelope& event);

}  // namespace shop::http
