#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Stock's integration events. Each carries the levels that resulted, so a
// consumer (the storefront, the dashboard) never has to ask stock back.
namespace shop::stock {

struct LevelChange {
  std::string product_id;
  std::int64_t quantity = 0;  // units moved by this event (signed for adjustments)
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t available = 0;
  // The stock ledger row's sequence of this movement: levels of one product
  // carried by events of different aggregates compare by it. 0 in events
  // written before the field existed.
  std::int64_t sequence = 0;

  friend bool operator==(const LevelChange&, const LevelChange&) = default;
};

struct StockRestocked {
  static constexpr const char* type = "shop.stock.restocked.v1";
  static constexpr const char* source = "/shopbox/stock";
  LevelChange level;
  std::string subject() const { return level.product_id; }
};

struct StockAdjusted {
  static constexpr const char* type = "shop.stock.adjusted.v1";
  static constexpr const char* source = "/shopbox/stock";
  LevelChange level;
  std::int64_t previous_on_hand = 0;
  std::string subject() const { return level.product_id; }
};

struct StockLow {
  static constexpr const char* type = "shop.stock.low.v1";
  static constexpr const char* source = "/shopbox/stock";
  LevelChange level;
  std::int64_t low_stock_threshold = 0;
  std::string subject() const { return level.product_id; }
};

// The movements of one order's reservation; the subject is the order id.
struct OrderStockMovement {
  std::string order_id;
  std::vector<LevelChange> lines;
  std::string subject() const { return order_id; }
};

struct StockReserved : OrderStockMovement {
  static constexpr const char* type = "shop.stock.reserved.v1";
  static constexpr const char* source = "/shopbox/stock";
};

struct StockReleased : OrderStockMovement {
  static constexpr const char* type = "shop.stock.released.v1";
  static constexpr const char* source = "/shopbox/stock";
  std::string reason;
};

struct StockSold : OrderStockMovement {
  static constexpr const char* type = "shop.stock.sold.v1";
  static constexpr const char* source = "/shopbox/stock";
};

struct StockReturned : OrderStockMovement {
  static constexpr const char* type = "shop.stock.returned.v1";
  static constexpr const char* source = "/shopbox/stock";
};

std::string encode(const StockRestocked& event);
std::string encode(const StockAdjusted& event);
std::string encode(const StockLow& event);
std::string encode(const StockReserved& event);
std::string encode(const StockReleased& event);
std::string encode(const StockSold& event);
std::string encode(const StockReturned& event);

// Throw std::runtime_error when `data` does not match the schema.
StockRestocked decode_stock_restocked(std::string_view data);
StockAdjusted decode_stock_adjusted(std::string_view data);
StockLow decode_stock_low(std::string_view data);
StockReserved decode_stock_reserved(std::string_view data);
StockReleased decode_stock_released(std::string_view data);
StockSold decode_stock_sold(std::string_view data);
StockReturned decode_stock_returned(std::string_view data);

}  // namespace shop::stock
