#include "application/payment/events.hpp"

#include <boost/json/object.hpp>

#include "application/shared/json_fields.hpp"

namespace shop::payment {

namespace {

boost::json::object base_json(const PaymentEventBase& event) {
  return {{"payment_id", event.payment_id},
          {"order_id", event.order_id},
          {"amount", json::money_to_json(event.amount)}};
}

template <class Event>
Event decode_base(std::string_view data, boost::json::value& holder) {
  holder = json::parse_event_data(data);
  const auto& object = json::as_object(holder, Event::type);
  Event event;
  event.payment_id = json::string_at(object, "payment_id");
  event.order_id = json::string_at(object, "order_id");
  event.amount = json::money_at(object, "amount");
  return event;
}

}  // namespace

std::string encode(const PaymentApproved& event) { return json::serialize(base_json(event)); }

std::string encode(const PaymentDeclined& event) {
  auto object = base_json(event);
  object["reason"] = event.reason;
  return json::serialize(object);
}

std::string encode(const PaymentCancelled& event) { return json::serialize(base_json(event)); }

PaymentApproved decode_payment_approved(std::string_view data) {
  boost::json::value holder;
  return decode_base<PaymentApproved>(data, holder);
}

PaymentDeclined decode_payment_declined(std::string_view data) {
  boost::json::value holder;
  auto event = decode_base<PaymentDeclined>(data, holder);
  event.reason = json::string_at(holder.get_object(), "reason");
  return event;
}

PaymentCancelled decode_payment_cancelled(std::string_view data) {
  boost::json::value holder;
  return decode_base<PaymentCancelled>(data, holder);
}

}  // namespace shop::payment
