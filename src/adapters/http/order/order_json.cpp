#include "adapters/http/order/order_json.hpp"

#include <boost/json/array.hpp>

#include "adapters/http/responses.hpp"

namespace shop::http {

boost::json::object order_json(const order::OrderView& order) {
  boost::json::array items;
  for (const auto& line : order.lines) {
    items.push_back(boost::json::object{{"product_id", line.product_id},
                                        {"sku", line.sku},
                                        {"name", line.name},
                                        {"unit_price", money_json(line.unit_price)},
                                        {"quantity", line.quantity}});
  }
  const auto& a = order.delivery_address;
  boost::json::value reason = nullptr;
  if (order.status == order::Status::cancelled || order.status == order::Status::payment_declined) {
    reason = order.cancel_reason;
  }
  return {{"id", order.id},
          {"status", order::to_string(order.status)},
          {"cancel_reason", reason},
          {"customer_id", order.customer_id},
          {"items", std::move(items)},
          {"total", money_json(order.total)},
          {"delivery_address", boost::json::object{{"name", a.name},
                                                   {"line1", a.line1},
                                                   {"line2", a.line2},
                                                   {"city", a.city},
                                                   {"postal_code", a.postal_code},
                                                   {"phone", a.phone}}},
          {"payment", boost::json::object{{"method", order.payment_method}}},
          {"created_at", time_json(order.created_at)},
          {"updated_at", time_json(order.updated_at)}};
}

}  // namespace shop::http
