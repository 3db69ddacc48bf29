#include "application/stock/events.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "application/shared/json_fields.hpp"

namespace shop::stock {

namespace {

boost::json::object level_json(const LevelChange& level) {
  return {{"product_id", level.product_id}, {"quantity", level.quantity},
          {"on_hand", level.on_hand},       {"reserved", level.reserved},
          {"available", level.available},   {"sequence", level.sequence}};
}

LevelChange level_from(const boost::json::object& object) {
  // "sequence" is additive: events written before it decode as 0.
  std::int64_t sequence = object.contains("sequence") ? json::integer_at(object, "sequence") : 0;
  return LevelChange{json::string_at(object, "product_id"), json::integer_at(object, "quantity"),
                     json::integer_at(object, "on_hand"), json::integer_at(object, "reserved"),
                     json::integer_at(object, "available"), sequence};
}

boost::json::object movement_json(const OrderStockMovement& movement) {
  boost::json::array lines;
  for (const auto& line : movement.lines) lines.push_back(level_json(line));
  return {{"order_id", movement.order_id}, {"lines", std::move(lines)}};
}

void movement_from(const boost::json::object& object, OrderStockMovement& movement) {
  movement.order_id = json::string_at(object, "order_id");
  for (const auto& line : json::array_at(object, "lines")) {
    movement.lines.push_back(level_from(json::as_object(line, "line")));
  }
}

template <class Movement>
Movement decode_movement(std::string_view data) {
  auto value = json::parse_event_data(data);
  Movement movement;
  movement_from(json::as_object(value, Movement::type), movement);
  return movement;
}

}  // namespace

std::string encode(const StockRestocked& event) { return json::serialize(level_json(event.level)); }

std::string encode(const StockAdjusted& event) {
  auto object = level_json(event.level);
  object["previous_on_hand"] = event.previous_on_hand;
  return json::serialize(object);
}

std::string encode(const StockLow& event) {
  auto object = level_json(event.level);
  object["low_stock_threshold"] = event.low_stock_threshold;
  return json::serialize(object);
}

std::string encode(const StockReserved& event) { return json::serialize(movement_json(event)); }

std::string encode(const StockReleased& event) {
  auto object = movement_json(event);
  object["reason"] = event.reason;
  return json::serialize(object);
}

std::string encode(const StockSold& event) { return json::serialize(movement_json(event)); }

std::string encode(const StockReturned& event) { return json::serialize(movement_json(event)); }

StockRestocked decode_stock_restocked(std::string_view data) {
  auto value = json::parse_event_data(data);
  return StockRestocked{level_from(json::as_object(value, StockRestocked::type))};
}

StockAdjusted decode_stock_adjusted(std::string_view data) {
  auto value = json::parse_event_data(data);
  const auto& object = json::as_object(value, StockAdjusted::type);
  return StockAdjusted{level_from(object), json::integer_at(object, "previous_on_hand")};
}

StockLow decode_stock_low(std::string_view data) {
  auto value = json::parse_event_data(data);
  const auto& object = json::as_object(value, StockLow::type);
  return StockLow{level_from(object), json::integer_at(object, "low_stock_threshold")};
}

StockReserved decode_stock_reserved(std::string_view data) {
  return decode_movement<StockReserved>(data);
}

StockReleased decode_stock_released(std::string_view data) {
  auto value = json::parse_event_data(data);
  const auto& object = json::as_object(value, StockReleased::type);
  StockReleased event;
  movement_from(object, event);
  event.reason = json::string_at(object, "reason");
  return event;
}

StockSold decode_stock_sold(std::string_view data) { return decode_movement<StockSold>(data); }

StockReturned decode_stock_returned(std::string_view data) {
  return decode_movement<StockReturned>(data);
}

}  // namespace shop::stock
