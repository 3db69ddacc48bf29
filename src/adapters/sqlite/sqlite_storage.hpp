#pragma once

#include "adapters/sqlite/catalog/sqlite_catalog_store.hpp"
#include "adapters/sqlite/dashboard/sqlite_dashboard_store.hpp"
#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/delivery/sqlite_delivery_store.hpp"
#include "adapters/sqlite/identity/sqlite_identity_store.hpp"
#include "adapters/sqlite/order/sqlite_order_store.hpp"
#include "adapters/sqlite/payment/sqlite_payment_store.hpp"
#include "adapters/sqlite/sqlite_dead_letters.hpp"
#include "adapters/sqlite/sqlite_lease_store.hpp"
#include "adapters/sqlite/stock/sqlite_stock_store.hpp"
#include "adapters/sqlite/webhook/sqlite_webhook_store.hpp"
#include "application/shared/clock.hpp"
#include "application/wiring/api.hpp"

namespace shop::sqlite {

struct SqliteAdapters {
  using Database = sqlite::Database;
  using IdentityStore = SqliteIdentityStore;
  using CatalogStore = SqliteCatalogStore;
  using StockStore = SqliteStockStore;
  using PaymentStore = SqlitePaymentStore;
  using OrderStore = SqliteOrderStore;
  using DeliveryStore = SqliteDeliveryStore;
  using DashboardStore = SqliteDashboardStore;
  using WebhookStore = SqliteWebhookStore;
  using DeadLetters = SqliteDeadLetters;
};

// Every module's state in one SQLite file, for one process (and a successor
// taking it over).
class SqliteStorage final : public wiring::StorageOn<SqliteAdapters> {
 public:
  // `clock` judges the lease's expiry.
  SqliteStorage(DatabaseSettings settings, const Clock& clock)
      : StorageOn(std::move(settings)), lease_(database_, clock) {}

  LeaseStore& lease() override { return lease_; }
  int migrate(const std::vector<std::string>& modules) override;
  std::vector<Metric> metrics() override;
  bool shared() const override { return false; }

  Database& database() { return database_; }

 private:
  SqliteLeaseStore lease_;
};

}  // namespace shop::sqlite
