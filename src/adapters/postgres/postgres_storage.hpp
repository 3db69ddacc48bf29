#pragma once

#include "adapters/postgres/catalog/postgres_catalog_store.hpp"
#include "adapters/postgres/dashboard/postgres_dashboard_store.hpp"
#include "adapters/postgres/database.hpp"
#include "adapters/postgres/delivery/postgres_delivery_store.hpp"
#include "adapters/postgres/identity/postgres_identity_store.hpp"
#include "adapters/postgres/order/postgres_order_store.hpp"
#include "adapters/postgres/payment/postgres_payment_store.hpp"
#include "adapters/postgres/postgres_dead_letters.hpp"
#include "adapters/postgres/postgres_lease_store.hpp"
#include "adapters/postgres/stock/postgres_stock_store.hpp"
#include "adapters/postgres/webhook/postgres_webhook_store.hpp"
#include "application/wiring/api.hpp"

namespace shop::postgres {

struct PostgresAdapters {
  using Database = postgres::Database;
  using IdentityStore = PostgresIdentityStore;
  using CatalogStore = PostgresCatalogStore;
  using StockStore = PostgresStockStore;
  using PaymentStore = PostgresPaymentStore;
  using OrderStore = PostgresOrderStore;
  using DeliveryStore = PostgresDeliveryStore;
  using DashboardStore = PostgresDashboardStore;
  using WebhookStore = PostgresWebhookStore;
  using DeadLetters = PostgresDeadLetters;
};

// Every module's state in one PostgreSQL database, which several replicas
// of a process may share. The background lease has a connection of its
// own (lease_database_settings), one more than `settings.pool_size`.
class PostgresStorage final : public wiring::StorageOn<PostgresAdapters> {
 public:
  PostgresStorage(const DatabaseSettings& settings, std::chrono::milliseconds lease_ttl)
      : StorageOn(settings), lease_database_(lease_database_settings(settings, lease_ttl)) {}

  LeaseStore& lease() override { return lease_; }
  int migrate(const std::vector<std::string>& modules) override;
  std::vector<Metric> metrics() override;
  bool shared() const override { return true; }

 private:
  postgres::Database lease_database_;
  PostgresLeaseStore lease_{lease_database_};
};

}  // namespace shop::postgres
