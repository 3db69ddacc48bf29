#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/outbox.hpp"
#include "application/delivery/ports.hpp"

namespace shop::postgres {

ModuleSchema delivery_schema();

class PostgresDeliveryStore final : public delivery::DeliveryStore {
 public:
  explicit PostgresDeliveryStore(Database& database);

  void write(const std::function<void(delivery::DeliveryTransaction&)>& work) override;
  std::optional<delivery::Delivery> find(const std::string& delivery_id) override;
  std::optional<delivery::Delivery> by_order(const std::string& order_id) override;
  std::vector<delivery::Delivery> list(const delivery::DeliveryFilter& filter) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  PostgresOutbox outbox_;
};

}  // namespace shop::postgres
