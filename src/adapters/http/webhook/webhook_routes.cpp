#include "adapters/http/webhook/webhook_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "adapters/http/responses.hpp"
#include "application/shared/event_json.hpp"

namespace shop::http {

namespace {

using webhook::WebhookDelivery;

boost::json::object delivery_json(const WebhookDelivery& delivery) {
  return {{"id", delivery.id},
          {"subscriber_url", delivery.subscriber_url},
          {"status", webhook::to_string(delivery.status)},
          {"attempts", delivery.attempts},
          {"last_error", delivery.last_error},
          {"next_attempt_at", time_json(delivery.next_attempt_at)},
          // The CloudEvents document as the subscriber receives it.
          {"event", boost::json::parse(encode_envelope_json(delivery.event))},
          {"created_at", time_json(delivery.created_at)},
          {"updated_at", time_json(delivery.updated_at)}};
}

}  // namespace

void add_webhook_routes(Router& router, webhook::WebhookApi& webhooks) {
  router.add({"GET", "/api/v1/webhooks/dead-letters", Access::staff,
              [&webhooks](RouteContext& context) {
                webhook::DeadLetterQuery query;
                query.cursor = query_or(context.request, "cursor");
                query.limit = page_limit(context.request);
                auto page = webhooks.dead_letters(query);
                boost::json::array items;
                for (const auto& delivery : page.items) items.push_back(delivery_json(delivery));
                boost::json::value next = nullptr;
                if (page.next_cursor) next = *page.next_cursor;
                return json_response(200, boost::json::object{{"items", std::move(items)},
                                                              {"next_cursor", next}});
              }});
  router.add({"POST", "/api/v1/webhooks/dead-letters/{id}/redeliver", Access::staff,
              [&webhooks](RouteContext& context) {
                return json_response(202, delivery_json(webhooks.redeliver(context.param("id"))));
              }});
}

}  // namespace shop::http
