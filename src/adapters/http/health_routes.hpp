#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "adapters/http/router.hpp"

namespace shop::http {

struct ReadinessCheck {
  std::string name;
  std::function<bool()> passing;
};

// /health/live answers while the process serves; /health/ready is 200 only
// when every check passes and the server is not draining, else 503.
void add_health_routes(Router& router, std::vector<ReadinessCheck> checks,
                       const std::atomic<bool>& draining);

// GET /openapi.json: the OpenAPI 3.1 description of every route.
void add_openapi_route(Router& router);
const char* openapi_document();

}  // namespace shop::http
