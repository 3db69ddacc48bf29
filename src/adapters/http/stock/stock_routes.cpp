#include "adapters/http/stock/stock_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "adapters/http/json_body.hpp"
#include "adapters/http/responses.hpp"
#include "adapters/http/stock/stock_requests.hpp"

namespace shop::http {

namespace {

boost::json::object level_json(const stock::StockView& level) {
  return {{"product_id", level.product_id},
          {"on_hand", level.on_hand},
          {"reserved", level.reserved},
          {"available", level.available},
          {"low_stock_threshold", level.low_stock_threshold}};
}

boost::json::object ledger_json(const stock::LedgerRow& row) {
  boost::json::value order_id = nullptr;
  if (row.entry.order_id) order_id = *row.entry.order_id;
  return {{"sequence", row.sequence},
          {"movement", stock::to_string(row.entry.movement)},
          {"on_hand_delta", row.entry.on_hand_delta},
          {"reserved_delta", row.entry.reserved_delta},
          {"order_id", order_id},
          {"at", time_json(row.at)}};
}

std::int64_t ledger_cursor(const Request& request) {
  std::string text = query_or(request, "cursor", "0");
  std::int64_t sequence = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), sequence);
  if (error != std::errc() || end != text.data() + text.size() || sequence < 0) {
    throw invalid_field("cursor", "is not a cursor this API sent");
  }
  return sequence;
}

}  // namespace

std::int64_t read_restock_quantity(const Request& request) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  auto quantity = fields.required_integer("quantity");
  fields.finish();
  return quantity;
}

stock::StockTake read_stock_take(const Request& request) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  stock::StockTake take{fields.required_integer("expected_on_hand"),
                        fields.required_integer("on_hand"),
                        fields.optional_integer("low_stock_threshold")};
  fields.finish();
  return take;
}

void add_stock_routes(Router& router, stock::StockApi& stock) {
  router.add({"GET", "/api/v1/stock/{product_id}", Access::anyone,
              [&stock](RouteContext& context) {
                return json_response(200, level_json(stock.level(context.param("product_id"))));
              }});
  router.add({"POST", "/api/v1/stock/{product_id}/restock", Access::staff,
              [&stock](RouteContext& context) {
                auto quantity = read_restock_quantity(context.request);
                return json_response(
                    200, level_json(stock.restock(context.param("product_id"), quantity)));
              }});
  router.add({"PUT", "/api/v1/stock/{product_id}", Access::staff,
              [&stock](RouteContext& context) {
                auto take = read_stock_take(context.request);
                return json_response(200,
                                     level_json(stock.take(context.param("product_id"), take)));
              }});
  router.add({"GET", "/api/v1/stock/{product_id}/ledger", Access::staff,
              [&stock](RouteContext& context) {
                std::size_t limit = page_limit(context.request);
                auto rows = stock.ledger(context.param("product_id"),
                                         ledger_cursor(context.request), limit + 1);
                boost::json::array items;
                for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
                  items.push_back(ledger_json(rows[i]));
                }
                boost::json::value next = nullptr;
                if (rows.size() > limit) next = std::to_string(rows[limit - 1].sequence);
                return json_response(200, boost::json::object{{"items", std::move(items)},
                                                              {"next_cursor", next}});
              }});
}

}  // namespace shop::http
