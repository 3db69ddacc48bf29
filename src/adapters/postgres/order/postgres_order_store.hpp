#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/outbox.hpp"
#include "application/order/ports.hpp"

namespace shop::postgres {

ModuleSchema order_schema();

class PostgresOrderStore final : public order::OrderStore {
 public:
  explicit PostgresOrderStore(Database& database);

  void write(const std::function<void(order::OrderTransaction&)>& work) override;
  std::optional<order::Order> find(const std::string& order_id) override;
  std::optional<order::IdempotencyRecord> idempotency(const std::string& customer_id,
                                                      const std::string& key) override;
  std::vector<order::Order> list(const order::OrderFilter& filter) override;
  std::vector<std::string> unfinished(Timestamp now, std::size_t limit) override;
  std::vector<std::pair<order::Status, std::int64_t>> count_by_status() override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  PostgresOutbox outbox_;
};

}  // namespace shop::postgres
