#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/outbox.hpp"
#include "application/delivery/ports.hpp"

namespace shop::sqlite {

ModuleSchema delivery_schema();

class SqliteDeliveryStore final : public delivery::DeliveryStore {
 public:
  explicit SqliteDeliveryStore(Database& database);

  void write(const std::function<void(delivery::DeliveryTransaction&)>& work) override;
  std::optional<delivery::Delivery> find(const std::string& delivery_id) override;
  std::optional<delivery::Delivery> by_order(const std::string& order_id) override;
  std::vector<delivery::Delivery> list(const delivery::DeliveryFilter& filter) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  SqliteOutbox outbox_;
};

}  // namespace shop::sqlite
