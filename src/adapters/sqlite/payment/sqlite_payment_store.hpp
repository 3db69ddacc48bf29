#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/outbox.hpp"
#include "application/payment/ports.hpp"

namespace shop::sqlite {

ModuleSchema payment_schema();

class SqlitePaymentStore final : public payment::PaymentStore {
 public:
  explicit SqlitePaymentStore(Database& database);

  void write(const std::function<void(payment::PaymentTransaction&)>& work) override;
  std::optional<payment::Payment> by_order(const std::string& order_id) override;
  std::vector<payment::Payment> refunds_due(Timestamp now, std::size_t limit) override;
  std::vector<payment::Payment> unknown_charges(std::size_t limit) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  SqliteOutbox outbox_;
};

}  // namespace shop::sqlite
