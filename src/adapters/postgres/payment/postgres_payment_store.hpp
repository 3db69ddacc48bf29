#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/outbox.hpp"
#include "application/payment/ports.hpp"

namespace shop::postgres {

ModuleSchema payment_schema();

class PostgresPaymentStore final : public payment::PaymentStore {
 public:
  explicit PostgresPaymentStore(Database& database);

  void write(const std::function<void(payment::PaymentTransaction&)>& work) override;
  std::optional<payment::Payment> by_order(const std::string& order_id) override;
  std::vector<payment::Payment> refunds_due(Timestamp now, std::size_t limit) override;
  std::vector<payment::Payment> unknown_charges(std::size_t limit) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  PostgresOutbox outbox_;
};

}  // namespace shop::postgres
