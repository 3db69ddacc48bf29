#pragma once

#include "adapters/http/router.hpp"
#include "application/identity/api.hpp"

namespace shop::http {

void add_identity_routes(Router& router, identity::IdentityApi& identity);

}  // namespace shop::http
