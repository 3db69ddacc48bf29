#pragma once

#include "adapters/http/router.hpp"
#include "application/webhook/api.hpp"

namespace shop::http {

// Staff's view of webhook deliveries that gave up:
//   GET  /api/v1/webhooks/dead-letters               (paged, newest first)
//   POST /api/v1/webhooks/dead-letters/{id}/redeliver (queued again: 202)
void add_webhook_routes(Router& router, webhook::WebhookApi& webhooks);

}  // namespace shop::http
