#pragma once

#include <map>

#include "adapters/memory/outbox_store.hpp"
#include "application/stock/ports.hpp"

namespace shop::memory {

struct MemoryStockState {
  std::map<std::string, stock::StockLevel> levels;
  std::vector<stock::LedgerRow> ledger;
  std::map<std::string, stock::Reservation> reservations;
  EventTables events;
};

class MemoryStockStore final : public stock::StockStore,
                               public OutboxStore<MemoryStockState> {
 public:
  void write(const std::function<void(stock::StockTransaction&)>& work) override;
  std::optional<stock::StockLevel> level(const std::string& product_id) override;
  std::vector<stock::LedgerRow> ledger(const std::string& product_id, std::int64_t after_sequence,
                                       std::size_t limit) override;
  std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) override;
};

}  // namespace shop::memory
