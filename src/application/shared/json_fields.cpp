#include "application/shared/json_fields.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <stdexcept>

namespace shop::json {

const boost::json::object& as_object(const boost::json::value& value, std::string_view what) {
  if (!value.is_object()) throw std::runtime_error(fmt::format("{} is not a JSON object", what));
  return value.get_object();
}

static const boost::json::value& field(const boost::json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end()) throw std::runtime_error(fmt::format("event field {} is missing", key));
  return it->value();
}

std::string string_at(const boost::json::object& object, std::string_view key) {
  const auto& value = field(object, key);
  if (!value.is_string()) throw std::runtime_error(fmt::format("event field {} is not a string", key));
  return std::string(value.get_string());
}

std::int64_t integer_at(const boost::json::object& object, std::string_view key) {
  const auto& value = field(object, key);
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64() && value.get_uint64() <= INT64_MAX) return std::int64_t(value.get_uint64());
  throw std::runtime_error(fmt::format("event field {} is not an integer", key));
}

const boost::json::array& array_at(const boost::json::object& object, std::string_view key) {
  const auto& value = field(object, key);
  if (!value.is_array()) throw std::runtime_error(fmt::format("event field {} is not an array", key));
  return value.get_array();
}

const boost::json::object& object_at(const boost::json::object& object, std::string_view key) {
  return as_object(field(object, key), fmt::format("event field {}", key));
}

Money money_at(const boost::json::object& object, std::string_view key) {
  return money_from_json(field(object, key));
}

boost::json::object money_to_json(const Money& money) {
  return {{"amount", money.amount}, {"currency", money.currency}};
}

Money money_from_json(const boost::json::value& value) {
  const auto& object = as_object(value, "money");
  return Money{integer_at(object, "amount"), string_at(object, "currency")};
}

boost::json::value parse_event_data(std::string_view data) { return boost::json::parse(data); }

std::string serialize(const boost::json::value& value) { return boost::json::serialize(value); }

std::string format_time(Timestamp time) {
  auto days = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day date{days};
  std::chrono::hh_mm_ss clock{time - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(date.year()),
                     unsigned(date.month()), unsigned(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

}  // namespace shop::json
