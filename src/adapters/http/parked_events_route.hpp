#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/http/router.hpp"
#include "application/shared/dead_letters.hpp"
#include "application/shared/outbox.hpp"

namespace shop::http {

// GET /api/v1/events/parked (staff): events whose handlers kept failing,
// per module, with the error they caused.
void add_parked_events_route(Router& router,
                             std::vector<std::pair<std::string, Outbox*>> outboxes);

// GET /api/v1/events/dead-letters (staff): events a consumer of the Kafka
// bus kept failing on, with the error. Empty on the in-process bus, whose
// failures are parked at the outbox instead.
void add_dead_letters_route(Router& router, DeadLetters* dead_letters);

}  // namespace shop::http
