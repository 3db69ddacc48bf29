#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "application/webhook/ports.hpp"

namespace shop::postgres {

ModuleSchema webhook_schema();

class PostgresWebhookStore final : public webhook::WebhookStore {
 public:
  explicit PostgresWebhookStore(Database& database) : database_(database) {}

  void write(const std::function<void(webhook::WebhookTransaction&)>& work) override;
  std::optional<webhook::WebhookDelivery> find(const std::string& delivery_id) override;
  std::vector<webhook::WebhookDelivery> due(Timestamp now, std::size_t limit) override;
  std::vector<webhook::WebhookDelivery> dead(const std::string& before_id,
                                             std::size_t limit) override;

 private:
  Database& database_;
};

}  // namespace shop::postgres
