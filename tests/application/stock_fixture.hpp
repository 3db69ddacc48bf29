#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/memory/stock/memory_stock_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/catalog/api.hpp"
#include "application/stock/api.hpp"

namespace shop::testing {

// The catalog as stock sees it: a set of active product ids.
class FakeProducts final : public catalog::ProductLookup {
 public:
  std::set<std::string> active;
  std::vector<std::string> asked;

  std::optional<catalog::ProductView> find_active(const std::string& product_id) override {
    asked.push_back(product_id);
    if (!active.contains(product_id)) return std::nullopt;
    catalog::ProductView view;
    view.id = product_id;
    return view;
  }
};

struct StockFixture {
  memory::MemoryStockStore store;
  FakeProducts products;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<stock::StockApi> stock;

  explicit StockFixture(stock::StockSettings settings = {})
      : stock(stock::make_stock_service({store, products, clock, ids, settings})) {}

  // A catalog product with `units` on hand.
  void shelve(const std::string& product_id, std::int64_t units) {
    products.active.insert(product_id);
    if (units > 0) stock->restock(product_id, units);
  }

  std::vector<stock::ReservationLine> lines(
      std::initializer_list<std::pair<const char*, std::int64_t>> items) {
    std::vector<stock::ReservationLine> result;
    for (auto& [product_id, quantity] : items) result.push_back({product_id, quantity});
    return result;
  }
};

}  // namespace shop::testing
