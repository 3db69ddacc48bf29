#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/http/router.hpp"
#include "application/shared/outbox.hpp"

namespace shop::http {

// GET /api/v1/events/parked (staff): events whose handlers kept failing,
// per module, with the error they caused.
void add_parked_events_route(Router& router,
                             std::vector<std::pair<std::string, Outbox*>> outboxes);

}  // namespace shop::http
