#pragma once

#include <functional>
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

// Hands a dead letter's event to its consumer again; throws what it throws.
// False when no consumer in this process takes it.
using Redelivery = std::function<bool(const DeadLetter&)>;

// GET /api/v1/events/dead-letters (staff): events a consumer of the Kafka
// bus kept failing on, with the error. Empty on the in-process bus, whose
// failures are parked at the outbox instead.
// POST /api/v1/events/dead-letters/{sequence}/redeliver (staff): runs the
// consumer on it again (its inbox makes a repeat harmless) and, once that
// succeeded, forgets it. A failure keeps it: 409 with the error (or the
// Failure the consumer threw, such as 503), 409 when no consumer here takes it.
void add_dead_letters_route(Router& router, DeadLetters* dead_letters, Redelivery redeliver = {});

}  // namespace shop::http
