#pragma once

#include "adapters/http/router.hpp"
#include "application/catalog/api.hpp"

namespace shop::http {

void add_catalog_routes(Router& router, catalog::CatalogApi& catalog);

}  // namespace shop::http
