#pragma once

#include <map>

#include "adapters/memory/copy_on_write.hpp"
#include "adapters/memory/event_tables.hpp"
#include "application/stock/ports.hpp"

namespace shop::memory {

class MemoryStockStore final : public stock::StockStore, public Outbox {
 public:
  void write(const std::function<void(stock::StockTransaction&)>& work) override;
  std::optional<stock::StockLevel> level(const std::string& product_id) override;
  std::vector<stock::LedgerRow> ledger(const std::string& product_id, std::int64_t after_sequence,
                                       std::size_t limit) override;
  std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) override;

  std::vector<OutboxRecord> unpublished(std::size_t limit) override;
  void mark_published(std::int64_t sequence) override;

 private:
  struct State {
    std::map<std::string, stock::StockLevel> levels;
    std::vector<stock::LedgerRow> ledger;
    std::map<std::string, stock::Reservation> reservations;
    EventTables events;
  };
  CopyOnWrite<State> state_;
};

}  // namespace shop::memory
