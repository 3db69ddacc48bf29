#include "application/order/events.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "application/shared/json_fields.hpp"

namespace shop::order {

namespace {

boost::json::object base_json(const OrderEventBase& event) {
  return {{"order_id", event.order_id}, {"customer_id", event.customer_id}};
}

boost::json::object address_json(const DeliveryAddress& address) {
  return {{"name", address.name},         {"line1", address.line1},
          {"line2", address.line2},       {"city", address.city},
          {"postal_code", address.postal_code}, {"phone", address.phone}};
}

DeliveryAddress address_from(const boost::json::object& object) {
  return DeliveryAddress{json::string_at(object, "name"),  json::string_at(object, "line1"),
                         json::string_at(object, "line2"), json::string_at(object, "city"),
                         json::string_at(object, "postal_code"),
                         json::string_at(object, "phone")};
}

// Parses the data and fills the common fields; the caller reads the rest.
template <class Event>
Event decode_base(std::string_view data, boost::json::value& holder) {
  holder = json::parse_event_data(data);
  const auto& object = json::as_object(holder, Event::type);
  Event event;
  event.order_id = json::string_at(object, "order_id");
  event.customer_id = json::string_at(object, "customer_id");
  return event;
}

}  // namespace

std::string encode(const OrderPlaced& event) {
  auto object = base_json(event);
  boost::json::array lines;
  for (const auto& line : event.lines) {
    lines.push_back(boost::json::object{{"product_id", line.product_id},
                                        {"sku", line.sku},
                                        {"name", line.name},
                                        {"unit_price", json::money_to_json(line.unit_price)},
                                        {"quantity", line.quantity}});
  }
  object["lines"] = std::move(lines);
  object["total"] = json::money_to_json(event.total);
  object["delivery_address"] = address_json(event.delivery_address);
  return json::serialize(object);
}

std::string encode(const OrderPaid& event) {
  auto object = base_json(event);
  object["total"] = json::money_to_json(event.total);
  object["delivery_address"] = address_json(event.delivery_address);
  return json::serialize(object);
}

std::string encode(const OrderPaymentDeclined& event) {
  auto object = base_json(event);
  object["reason"] = event.reason;
  return json::serialize(object);
}

std::string encode(const OrderPaymentPending& event) { return json::serialize(base_json(event)); }

std::string encode(const OrderCancelled& event) {
  auto object = base_json(event);
  object["reason"] = event.reason;
  object["was_paid"] = event.was_paid;
  object["total"] = json::money_to_json(event.total);
  return json::serialize(object);
}

std::string encode(const OrderInDelivery& event) { return json::serialize(base_json(event)); }

std::string encode(const OrderDelivered& event) { return json::serialize(base_json(event)); }

OrderPlaced decode_order_placed(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<OrderPlaced>(data, holder);
  const auto& object = holder.get_object();
  for (const auto& item : json::array_at(object, "lines")) {
    const auto& line = json::as_object(item, "line");
    event.lines.push_back(OrderLineData{json::string_at(line, "product_id"),
                                        json::string_at(line, "sku"), json::string_at(line, "name"),
                                        json::money_at(line, "unit_price"),
                                        json::integer_at(line, "quantity")});
  }
  event.total = json::money_at(object, "total");
  event.delivery_address =
      address_from(json::object_at(object, "delivery_address"));
  return event;
}

OrderPaid decode_order_paid(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<OrderPaid>(data, holder);
  const auto& object = holder.get_object();
  event.total = json::money_at(object, "total");
  event.delivery_address =
      address_from(json::object_at(object, "delivery_address"));
  return event;
}

OrderPaymentDeclined decode_order_payment_declined(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<OrderPaymentDeclined>(data, holder);
  event.reason = json::string_at(holder.get_object(), "reason");
  return event;
}

OrderPaymentPending decode_order_payment_pending(std::string_view data) {
  boost::json::value holder;
  return decode_base<OrderPaymentPending>(data, holder);
}

OrderCancelled decode_order_cancelled(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<OrderCancelled>(data, holder);
  const auto& object = holder.get_object();
  event.reason = json::string_at(object, "reason");
  auto paid = object.find("was_paid");
  if (paid == object.end() || !paid->value().is_bool()) {
    throw std::runtime_error("event field was_paid is missing or not a boolean");
  }
  event.was_paid = paid->value().get_bool();
  event.total = json::money_at(object, "total");
  return event;
}

OrderInDelivery decode_order_in_delivery(std::string_view data) {
  boost::json::value holder;
  return decode_base<OrderInDelivery>(data, holder);
}

OrderDelivered decode_order_delivered(std::string_view data) {
  boost::json::value holder;
  return decode_base<OrderDelivered>(data, holder);
}

}  // namespace shop::order
