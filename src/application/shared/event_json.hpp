#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "application/shared/event.hpp"

namespace shop {

// An envelope that cannot be read: not JSON, or an attribute missing,
// mistyped or out of range. A std::runtime_error, like bad event data.
class MalformedEnvelope : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The envelope in CloudEvents 1.0 structured mode (the JSON event format),
// for brokers such as Kafka:
//   {"specversion":"1.0","id":..,"source":..,"type":..,"subject":..,
//    "time":"2026-11-27T21:00:00.000Z","datacontenttype":"application/json","data":{..}}
// `envelope.data` must hold JSON text; it is embedded as JSON, not as a string.
std::string encode_envelope_json(const EventEnvelope& envelope);

// The reverse. Requires what CloudEvents requires (specversion "1.0",
// non-empty id, source and type) and what every shopbox event has: a
// non-empty subject, an RFC 3339 time within years 0000-9999 (kept to the
// millisecond, converted to UTC) and JSON data whose numbers fit a double.
// Extension attributes are ignored; data_base64 and a non-JSON
// datacontenttype are refused. Throws MalformedEnvelope.
EventEnvelope decode_envelope_json(std::string_view text);

// CloudEvents binary content mode (a transport's headers carry the
// attributes, its body the data), with the same requirements. `attributes`
// is keyed by attribute name ("id", "datacontenttype", ...).
EventEnvelope decode_envelope_binary(const std::map<std::string, std::string, std::less<>>& attributes,
                                     std::string_view data);

}  // namespace shop
