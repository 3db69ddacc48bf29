#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "application/webhook/ports.hpp"

namespace shop::sqlite {

ModuleSchema webhook_schema();

class SqliteWebhookStore final : public webhook::WebhookStore {
 public:
  explicit SqliteWebhookStore(Database& database) : database_(database) {}

  void write(const std::function<void(webhook::WebhookTransaction&)>& work) override;
  std::optional<webhook::WebhookDelivery> find(const std::string& delivery_id) override;
  std::vector<webhook::WebhookDelivery> due(Timestamp now, std::size_t limit) override;
  std::vector<webhook::WebhookDelivery> dead(const std::string& before_id,
                                             std::size_t limit) override;

 private:
  Database& database_;
};

}  // namespace shop::sqlite
