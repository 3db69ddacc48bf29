#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

namespace shop::json {

// Readers for event data written by shopbox itself: a missing or mistyped
// field means a bug or a foreign producer, so they throw std::runtime_error.
const boost::json::object& as_object(const boost::json::value& value, std::string_view what);
std::string string_at(const boost::json::object& object, std::string_view key);
std::int64_t integer_at(const boost::json::object& object, std::string_view key);
const boost::json::array& array_at(const boost::json::object& object, std::string_view key);
const boost::json::object& object_at(const boost::json::object& object, std::string_view key);
Money money_at(const boost::json::object& object, std::string_view key);

boost::json::object money_to_json(const Money& money);
Money money_from_json(const boost::json::value& value);

boost::json::value parse_event_data(std::string_view data);
std::string serialize(const boost::json::value& value);

// RFC 3339 UTC with milliseconds: 2026-11-27T21:00:00.000Z.
std::string format_time(Timestamp time);

}  // namespace shop::json
