#include "application/shared/event_json.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cmath>

#include "application/shared/json_fields.hpp"

namespace shop {

namespace {

std::string attribute(const boost::json::object& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end()) throw MalformedEnvelope("the envelope has no " + std::string(name));
  if (!it->value().is_string() || it->value().get_string().empty()) {
    throw MalformedEnvelope("the envelope's " + std::string(name) + " is not a non-empty string");
  }
  return std::string(it->value().get_string());
}

// The value of `count` decimal digits at `at`, or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// RFC 3339 date-time: 2026-11-27T21:00:00[.fraction](Z|+09:00).
Timestamp parse_time(std::string_view text) {
  auto bad = [&] {
    return MalformedEnvelope("the envelope's time is not an RFC 3339 date-time: " +
                             std::string(text));
  };
  int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
      text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    throw bad();
  }
  std::size_t at = 19;
  int millis = 0;
  if (at < text.size() && text[at] == '.') {
    std::size_t first = ++at;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      if (at - first < 3) millis = millis * 10 + (text[at] - '0');
    }
    if (at == first) throw bad();
    for (std::size_t shown = at - first; shown < 3; ++shown) millis *= 10;
  }
  bool utc = at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z');
  bool numeric = at + 6 == text.size() && (text[at] == '+' || text[at] == '-') &&
                 text[at + 3] == ':';
  int offset_hours = numeric ? digits(text, at + 1, 2) : 0;
  int offset_minutes = numeric ? digits(text, at + 4, 2) : 0;
  if (!utc && !numeric) throw bad();
  if (offset_hours < 0 || offset_hours > 23 || offset_minutes < 0 || offset_minutes > 59) {
    throw bad();
  }
  int offset = (text[at] == '-' ? -1 : 1) * (offset_hours * 60 + offset_minutes);
  using namespace std::chrono;
  year_month_day date{std::chrono::year(year), std::chrono::month(unsigned(month)),
                      std::chrono::day(unsigned(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) throw bad();
  Timestamp time = sys_days(date) + hours(hour) + minutes(minute - offset) + seconds(second) +
                   milliseconds(millis);
  // Only four-digit years can be written back.
  auto utc_year = int(year_month_day(floor<days>(time)).year());
  if (utc_year < 0 || utc_year > 9999) throw bad();
  return time;
}

// Boost.JSON reads a number beyond a double's range as infinity, and writes
// it back as no JSON at all.
bool has_only_finite_numbers(const boost::json::value& value) {
  if (value.is_double()) return std::isfinite(value.get_double());
  if (const auto* array = value.if_array()) {
    for (const auto& item : *array) {
      if (!has_only_finite_numbers(item)) return false;
    }
  }
  if (const auto* object = value.if_object()) {
    for (const auto& member : *object) {
      if (!has_only_finite_numbers(member.value())) return false;
    }
  }
  return true;
}

void require_json_media(std::string_view media) {
  if (media.substr(0, media.find(';')) != "application/json") {
    throw MalformedEnvelope("the envelope's datacontenttype is not application/json");
  }
}

}  // namespace

std::string encode_envelope_json(const EventEnvelope& envelope) {
  boost::json::object object{{"specversion", "1.0"},
                             {"id", envelope.id},
                             {"source", envelope.source},
                             {"type", envelope.type},
                             {"subject", envelope.subject},
                             {"time", json::format_time(envelope.time)},
                             {"datacontenttype", "application/json"},
                             {"data", json::parse_event_data(envelope.data)}};
  return json::serialize(object);
}

EventEnvelope decode_envelope_json(std::string_view text) {
  boost::system::error_code error;
  boost::json::value document = boost::json::parse(text, error);
  if (error) throw MalformedEnvelope("the envelope is not JSON: " + error.message());
  if (!document.is_object()) throw MalformedEnvelope("the envelope is not a JSON object");
  const auto& object = document.get_object();
  if (attribute(object, "specversion") != "1.0") {
    throw MalformedEnvelope("the envelope's specversion is not 1.0");
  }
  if (auto type = object.find("datacontenttype"); type != object.end()) {
    const auto& value = type->value();
    require_json_media(value.is_string() ? std::string_view(value.get_string()) : "");
  }
  if (object.contains("data_base64")) {
    throw MalformedEnvelope("the envelope carries data_base64; shopbox events carry JSON data");
  }
  auto data = object.find("data");
  if (data == object.end()) throw MalformedEnvelope("the envelope has no data");
  if (!has_only_finite_numbers(data->value())) {
    throw MalformedEnvelope("the envelope's data holds a number beyond a double's range");
  }
  return EventEnvelope{attribute(object, "id"),
                       attribute(object, "type"),
                       attribute(object, "source"),
                       attribute(object, "subject"),
                       parse_time(attribute(object, "time")),
                       json::serialize(data->value())};
}

EventEnvelope decode_envelope_binary(const std::map<std::string, std::string, std::less<>>& attributes,
                                     std::string_view data) {
  auto attribute = [&](std::string_view name) {
    auto it = attributes.find(name);
    if (it == attributes.end() || it->second.empty()) {
      throw MalformedEnvelope("the envelope has no " + std::string(name));
    }
    return it->second;
  };
  if (attribute("specversion") != "1.0") {
    throw MalformedEnvelope("the envelope's specversion is not 1.0");
  }
  if (auto type = attributes.find("datacontenttype"); type != attributes.end()) {
    require_json_media(type->second);
  }
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(data, error);
  if (error) throw MalformedEnvelope("the envelope's data is not JSON: " + error.message());
  if (!has_only_finite_numbers(value)) {
    throw MalformedEnvelope("the envelope's data holds a number beyond a double's range");
  }
  return EventEnvelope{attribute("id"),      attribute("type"),
                       attribute("source"),  attribute("subject"),
                       parse_time(attribute("time")), json::serialize(value)};
}

}  // namespace shop
