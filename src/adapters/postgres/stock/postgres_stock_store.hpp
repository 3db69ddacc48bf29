#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/outbox.hpp"
#include "application/stock/ports.hpp"

namespace shop::postgres {

ModuleSchema stock_schema();

class PostgresStockStore final : public stock::StockStore {
 public:
  explicit PostgresStockStore(Database& database);

  void write(const std::function<void(stock::StockTransaction&)>& work) override;
  std::optional<stock::StockLevel> level(const std::string& product_id) override;
  std::vector<stock::LedgerRow> ledger(const std::string& product_id, std::int64_t after_sequence,
                                       std::size_t limit) override;
  std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  PostgresOutbox outbox_;
};

}  // namespace shop::postgres
