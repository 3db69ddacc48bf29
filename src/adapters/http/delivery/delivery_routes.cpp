#include "adapters/http/delivery/delivery_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/http/delivery/delivery_requests.hpp"
#include "adapters/http/json_body.hpp"
#include "adapters/http/responses.hpp"

namespace shop::http {

namespace {

using delivery::DeliveryStatus;
using delivery::DeliveryView;

boost::json::object delivery_json(const DeliveryView& delivery) {
  const auto& a = delivery.address;
  boost::json::value cancel_reason = nullptr;
  if (delivery.status == DeliveryStatus::cancelled) cancel_reason = delivery.cancel_reason;
  return {{"id", delivery.id},
          {"order_id", delivery.order_id},
          {"customer_id", delivery.customer_id},
          {"status", delivery::to_string(delivery.status)},
          {"address",
           {{"name", a.name},
            {"line1", a.line1},
            {"line2", a.line2},
            {"city", a.city},
            {"postal_code", a.postal_code},
            {"phone", a.phone}}},
          {"cancel_reason", cancel_reason},
          {"created_at", time_json(delivery.created_at)},
          {"updated_at", time_json(delivery.updated_at)}};
}

DeliveryStatus status_of(const std::string& text) {
  auto status = delivery::delivery_status_from_string(text);
  if (!status) {
    throw invalid_field("status",
                        "must be one of REQUESTED, ACCEPTED, PREPARING, DISPATCHED, DELIVERED, "
                        "CANCELLED");
  }
  return *status;
}

bool is_staff(const RouteContext& context) {
  return context.principal && context.principal->is_staff();
}

}  // namespace

DeliveryStatus read_status_change(const Request& request) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  auto status = fields.required_string("status");
  fields.finish();
  return status_of(status);
}

void add_delivery_routes(Router& router, delivery::DeliveryApi& deliveries) {
  router.add({"GET", "/api/v1/deliveries", Access::signed_in,
              [&deliveries](RouteContext& context) {
                const Request& request = context.request;
                delivery::DeliveryQuery query;
                if (auto status = query_or(request, "status"); !status.empty()) {
                  query.status = status_of(status);
                }
                query.order_id = query_or(request, "order_id");
                // A customer's board is their own, whatever they asked for.
                query.customer_id = is_staff(context) ? query_or(request, "customer_id")
                                                      : context.principal->user_id;
                query.cursor = query_or(request, "cursor");
                query.limit = page_limit(request);
                auto page = deliveries.list(query);
                boost::json::array items;
                for (const auto& delivery : page.items) items.push_back(delivery_json(delivery));
                boost::json::value next = nullptr;
                if (page.next_cursor) next = *page.next_cursor;
                return json_response(200, boost::json::object{{"items", std::move(items)},
                                                              {"next_cursor", next}});
              }});
  router.add({"GET", "/api/v1/deliveries/{id}", Access::signed_in,
              [&deliveries](RouteContext& context) {
                auto delivery = deliveries.get(context.param("id"));
                // Another customer's delivery is a 404, so that its existence does not leak.
                if (!is_staff(context) && delivery.customer_id != context.principal->user_id) {
                  throw Failure(FailureKind::not_found, "delivery_not_found",
                                "no delivery with id " + context.param("id"));
                }
                return json_response(200, delivery_json(delivery));
              }});
  router.add({"POST", "/api/v1/deliveries/{id}/status", Access::staff,
              [&deliveries](RouteContext& context) {
                auto status = read_status_change(context.request);
                return json_response(
                    200, delivery_json(deliveries.advance(context.param("id"), status)));
              }});
}

}  // namespace shop::http
