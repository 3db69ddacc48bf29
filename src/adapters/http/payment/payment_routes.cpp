#include "adapters/http/payment/payment_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/http/responses.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

namespace {

boost::json::object payment_json(const payment::PaymentView& payment) {
  boost::json::value reason = nullptr;
  if (!payment.failure_reason.empty()) reason = payment.failure_reason;
  return {{"id", payment.id},
          {"order_id", payment.order_id},
          {"customer_id", payment.customer_id},
          {"amount", money_json(payment.amount)},
          {"status", payment::to_string(payment.status)},
          {"method", payment.method},
          {"failure_reason", reason},
          {"created_at", time_json(payment.created_at)},
          {"updated_at", time_json(payment.updated_at)}};
}

}  // namespace

void add_payment_routes(Router& router, payment::PaymentApi& payments, order::OrderApi& orders) {
  router.add({"GET", "/api/v1/payments", Access::signed_in,
              [&payments, &orders](RouteContext& context) {
                std::string order_id = query_or(context.request, "order_id");
                if (order_id.empty()) throw invalid_field("order_id", "is required");
                // Another customer's order is a 404, like the order itself.
                auto order = orders.get(order_id);
                if (!context.principal->is_staff() &&
                    order.customer_id != context.principal->user_id) {
                  throw Failure(FailureKind::not_found, "order_not_found",
                                "no order with id " + order_id);
                }
                boost::json::array items;
                for (const auto& payment : payments.for_order(order_id)) {
                  items.push_back(payment_json(payment));
                }
                // One payment per order: the list never has a next page.
                return json_response(200, boost::json::object{{"items", std::move(items)},
                                                              {"next_cursor", nullptr}});
              }});
}

}  // namespace shop::http
