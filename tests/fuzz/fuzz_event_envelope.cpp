// An event as a broker would deliver it: a CloudEvents JSON envelope, then
// its data given to the decoder its type names. A bad envelope must be a
// MalformedEnvelope and bad data a std::runtime_error (as the decoders
// promise); any other exception escapes and aborts. Whatever decodes must
// encode and decode again to the same thing.
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "application/catalog/events.hpp"
#include "application/delivery/events.hpp"
#include "application/identity/events.hpp"
#include "application/order/events.hpp"
#include "application/payment/events.hpp"
#include "application/stock/events.hpp"
#include "application/shared/event_json.hpp"

namespace {

using Decoder = std::function<void(std::string_view data)>;

template <class Event>
std::pair<const std::string, Decoder> decoder(Event (*decode)(std::string_view)) {
  return {Event::type, [decode](std::string_view data) {
            std::string once = encode(decode(data));
            if (encode(decode(once)) != once) __builtin_trap();
          }};
}

// Every event type of every module's events.hpp.
const std::map<std::string, Decoder> decoders = {
    decoder(shop::catalog::decode_product_created),
    decoder(shop::catalog::decode_product_updated),
    decoder(shop::catalog::decode_product_deleted),
    decoder(shop::identity::decode_user_registered),
    decoder(shop::stock::decode_stock_restocked),
    decoder(shop::stock::decode_stock_adjusted),
    decoder(shop::stock::decode_stock_low),
    decoder(shop::stock::decode_stock_reserved),
    decoder(shop::stock::decode_stock_released),
    decoder(shop::stock::decode_stock_sold),
    decoder(shop::stock::decode_stock_returned),
    decoder(shop::order::decode_order_placed),
    decoder(shop::order::decode_order_paid),
    decoder(shop::order::decode_order_payment_declined),
    decoder(shop::order::decode_order_payment_pending),
    decoder(shop::order::decode_order_cancelled),
    decoder(shop::order::decode_order_in_delivery),
    decoder(shop::order::decode_order_delivered),
    decoder(shop::payment::decode_payment_approved),
    decoder(shop::payment::decode_payment_declined),
    decoder(shop::payment::decode_payment_cancelled),
    decoder(shop::delivery::decode_delivery_requested),
    decoder(shop::delivery::decode_delivery_status_changed),
    decoder(shop::delivery::decode_delivery_delivered),
    decoder(shop::delivery::decode_delivery_cancelled),
};

// Boost 1.81 reads a double to within one ulp only, so a double's text may
// change on each round trip. Event data never holds one (amounts and counts
// are integers, and the decoders refuse doubles), so only data without
// doubles must come back verbatim.
bool has_double(const boost::json::value& value) {
  if (value.is_double()) return true;
  if (const auto* array = value.if_array()) {
    for (const auto& item : *array) {
      if (has_double(item)) return true;
    }
  }
  if (const auto* object = value.if_object()) {
    for (const auto& member : *object) {
      if (has_double(member.value())) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  shop::EventEnvelope envelope;
  try {
    envelope = shop::decode_envelope_json({reinterpret_cast<const char*>(data), size});
  } catch (const shop::MalformedEnvelope&) {
    return 0;
  }
  auto again = shop::decode_envelope_json(shop::encode_envelope_json(envelope));
  if (has_double(boost::json::parse(envelope.data))) again.data = envelope.data;
  if (again != envelope) __builtin_trap();
  auto found = decoders.find(envelope.type);
  if (found == decoders.end()) return 0;
  try {
    found->second(envelope.data);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
