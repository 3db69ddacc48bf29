#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/memory/stock/memory_stock_store.hpp"

namespace shop::testing {

// A StockStore that forwards to a memory store; tests override one method
// to observe the service or to stage a race deterministically.
class DelegatingStockStore : public stock::StockStore {
 public:
  void write(const std::function<void(stock::StockTransaction&)>& work) override {
    inner.write(work);
  }
  std::optional<stock::StockLevel> level(const std::string& product_id) override {
    return inner.level(product_id);
  }
  std::vector<stock::LedgerRow> ledger(const std::string& product_id, std::int64_t after_sequence,
                                       std::size_t limit) override {
    return inner.ledger(product_id, after_sequence, limit);
  }
  std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) override {
    return inner.expired_reservations(now, limit);
  }

  memory::MemoryStockStore inner;
};

}  // namespace shop::testing
