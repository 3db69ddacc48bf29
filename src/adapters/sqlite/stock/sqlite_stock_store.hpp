#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/outbox.hpp"
#include "application/stock/ports.hpp"

namespace shop::sqlite {

ModuleSchema stock_schema();

class SqliteStockStore final : public stock::StockStore {
 public:
  explicit SqliteStockStore(Database& database);

  void write(const std::function<void(stock::StockTransaction&)>& work) override;
  std::optional<stock::StockLevel> level(const std::string& product_id) override;
  std::vector<stock::LedgerRow> ledger(const std::string& product_id, std::int64_t after_sequence,
                                       std::size_t limit) override;
  std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  SqliteOutbox outbox_;
};

}  // namespace shop::sqlite
