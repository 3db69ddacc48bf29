#include "application/delivery/events.hpp"

#include <boost/json/object.hpp>

#include "application/shared/json_fields.hpp"

namespace shop::delivery {

namespace {

boost::json::object base_json(const DeliveryEventBase& event) {
  return {{"delivery_id", event.delivery_id},
          {"order_id", event.order_id},
          {"customer_id", event.customer_id}};
}

template <class Event>
Event decode_base(std::string_view data, boost::json::value& holder) {
  holder = json::parse_event_data(data);
  const auto& object = json::as_object(holder, Event::type);
  Event event;
  event.delivery_id = json::string_at(object, "delivery_id");
  event.order_id = json::string_at(object, "order_id");
  event.customer_id = json::string_at(object, "customer_id");
  return event;
}

}  // namespace

std::string encode(const DeliveryRequested& event) { return json::serialize(base_json(event)); }

std::string encode(const DeliveryStatusChanged& event) {
  auto object = base_json(event);
  object["from"] = event.from;
  object["to"] = event.to;
  return json::serialize(object);
}

std::string encode(const DeliveryDelivered& event) { return json::serialize(base_json(event)); }

std::string encode(const DeliveryCancelled& event) {
  auto object = base_json(event);
  object["reason"] = event.reason;
  return json::serialize(object);
}

DeliveryRequested decode_delivery_requested(std::string_view data) {
  boost::json::value holder;
  return decode_base<DeliveryRequested>(data, holder);
}

DeliveryStatusChanged decode_delivery_status_changed(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<DeliveryStatusChanged>(data, holder);
  event.from = json::string_at(holder.get_object(), "from");
  event.to = json::string_at(holder.get_object(), "to");
  return event;
}

DeliveryDelivered decode_delivery_delivered(std::string_view data) {
  boost::json::value holder;
  return decode_base<DeliveryDelivered>(data, holder);
}

DeliveryCancelled decode_delivery_cancelled(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<DeliveryCancelled>(data, holder);
  event.reason = json::string_at(holder.get_object(), "reason");
  return event;
}

}  // namespace shop::delivery
