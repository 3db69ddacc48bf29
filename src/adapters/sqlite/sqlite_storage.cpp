#include "adapters/sqlite/sqlite_storage.hpp"

#include <map>
#include <stdexcept>

#include "adapters/sqlite/catalog/sqlite_catalog_store.hpp"
#include "adapters/sqlite/dashboard/sqlite_dashboard_store.hpp"
#include "adapters/sqlite/delivery/sqlite_delivery_store.hpp"
#include "adapters/sqlite/identity/sqlite_identity_store.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/order/sqlite_order_store.hpp"
#include "adapters/sqlite/payment/sqlite_payment_store.hpp"
#include "adapters/sqlite/stock/sqlite_stock_store.hpp"
#include "adapters/sqlite/webhook/sqlite_webhook_store.hpp"

namespace shop::sqlite {

namespace {

template <class Port, class Store>
wiring::StoreWithOutbox<Port> with_outbox(std::unique_ptr<Store> store) {
  Outbox* outbox = &store->outbox();
  return {std::move(store), outbox};
}

}  // namespace

wiring::StoreWithOutbox<identity::IdentityStore> SqliteStorage::identity() {
  return with_outbox<identity::IdentityStore>(std::make_unique<SqliteIdentityStore>(database_));
}
wiring::StoreWithOutbox<catalog::CatalogStore> SqliteStorage::catalog() {
  return with_outbox<catalog::CatalogStore>(std::make_unique<SqliteCatalogStore>(database_));
}
wiring::StoreWithOutbox<stock::StockStore> SqliteStorage::stock() {
  return with_outbox<stock::StockStore>(std::make_unique<SqliteStockStore>(database_));
}
wiring::StoreWithOutbox<payment::PaymentStore> SqliteStorage::payment() {
  return with_outbox<payment::PaymentStore>(std::make_unique<SqlitePaymentStore>(database_));
}
wiring::StoreWithOutbox<order::OrderStore> SqliteStorage::order() {
  return with_outbox<order::OrderStore>(std::make_unique<SqliteOrderStore>(database_));
}
wiring::StoreWithOutbox<delivery::DeliveryStore> SqliteStorage::delivery() {
  return with_outbox<delivery::DeliveryStore>(std::make_unique<SqliteDeliveryStore>(database_));
}
std::unique_ptr<dashboard::DashboardStore> SqliteStorage::dashboard() {
  return std::make_unique<SqliteDashboardStore>(database_);
}
std::unique_ptr<webhook::WebhookStore> SqliteStorage::webhook() {
  return std::make_unique<SqliteWebhookStore>(database_);
}

int SqliteStorage::migrate(const std::vector<std::string>& modules) {
  static const std::map<std::string, ModuleSchema (*)()> schemas{
      {"identity", identity_schema}, {"catalog", catalog_schema},
      {"stock", stock_schema},       {"order", order_schema},
      {"payment", payment_schema},   {"delivery", delivery_schema},
      {"dashboard", dashboard_schema}, {"webhook", webhook_schema}};
  std::vector<ModuleSchema> wanted;
  for (const auto& module : modules) wanted.push_back(schemas.at(module)());
  wanted.push_back(runtime_schema());
  return sqlite::migrate(database_, wanted).applied;
}

std::vector<wiring::Storage::Metric> SqliteStorage::metrics() {
  auto stats = database_.stats();
  return {
      {"shopbox_sqlite_commits_total", "counter",
       "Group commits: each one transaction and one sync for the writes queued.",
       {{"shopbox_sqlite_commits_total", double(stats.commits)}}},
      {"shopbox_sqlite_writes_total", "counter", "Writes committed in those groups.",
       {{"shopbox_sqlite_writes_total", double(stats.writes)}}},
      {"shopbox_sqlite_commit_seconds", "summary", "Time from BEGIN to COMMIT.",
       {{"shopbox_sqlite_commit_seconds_sum", stats.commit_seconds},
        {"shopbox_sqlite_commit_seconds_count", double(stats.commits)}}},
      {"shopbox_sqlite_busy_total", "counter",
       "Writes refused because another process held the database lock too long.",
       {{"shopbox_sqlite_busy_total", double(stats.busy)}}},
      {"shopbox_sqlite_checkpoints_total", "counter",
       "Checkpoints copying the write-ahead log back into the file.",
       {{"shopbox_sqlite_checkpoints_total", double(stats.checkpoints)}}},
  };
}

}  // namespace shop::sqlite
