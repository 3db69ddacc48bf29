#include "adapters/http/dashboard/dashboard_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/http/responses.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

namespace {

boost::json::value status_or_null(const std::string& status) {
  if (status.empty()) return nullptr;
  return boost::json::value(status);
}

boost::json::object order_view_json(const dashboard::OrderView& view) {
  boost::json::array timeline;
  for (const auto& entry : view.timeline) {
    timeline.push_back(boost::json::object{
        {"event", entry.event}, {"at", time_json(entry.at)}, {"event_id", entry.event_id}});
  }
  return {{"order_id", view.order_id},
          {"customer_id", view.customer_id},
          {"status", status_or_null(view.status)},
          {"payment_status", status_or_null(view.payment_status)},
          {"delivery_status", status_or_null(view.delivery_status)},
          {"total", money_json(view.total)},
          {"timeline", std::move(timeline)}};
}

boost::json::object customer_json(const dashboard::CustomerSummary& summary) {
  return {{"customer_id", summary.customer_id},
          {"orders_placed", summary.orders_placed},
          {"orders_active", summary.orders_active},
          {"orders_delivered", summary.orders_delivered},
          {"orders_cancelled", summary.orders_cancelled},
          {"amount_spent", money_json(summary.amount_spent)},
          {"amount_refunded", money_json(summary.amount_refunded)}};
}

}  // namespace

void add_dashboard_routes(Router& router, dashboard::DashboardApi& dashboard) {
  router.add({"GET", "/api/v1/dashboard/orders/{id}", Access::signed_in,
              [&dashboard](RouteContext& context) {
                auto view = dashboard.order(context.param("id"));
                // Another customer's order is a 404, as on the order itself.
                if (!context.principal->is_staff() &&
                    view.customer_id != context.principal->user_id) {
                  throw Failure(FailureKind::not_found, "order_not_found",
                                "no order with id " + view.order_id);
                }
                return json_response(200, order_view_json(view));
              }});
  router.add({"GET", "/api/v1/dashboard/customers/{id}", Access::signed_in,
              [&dashboard](RouteContext& context) {
                require_self_or_staff(context, context.param("id"));
                return json_response(200, customer_json(dashboard.customer(context.param("id"))));
              }});
}

}  // namespace shop::http
