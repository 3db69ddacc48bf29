#include "adapters/postgres/postgres_storage.hpp"

#include <map>

#include "adapters/postgres/catalog/postgres_catalog_store.hpp"
#include "adapters/postgres/dashboard/postgres_dashboard_store.hpp"
#include "adapters/postgres/delivery/postgres_delivery_store.hpp"
#include "adapters/postgres/identity/postgres_identity_store.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/order/postgres_order_store.hpp"
#include "adapters/postgres/payment/postgres_payment_store.hpp"
#include "adapters/postgres/stock/postgres_stock_store.hpp"
#include "adapters/postgres/webhook/postgres_webhook_store.hpp"

namespace shop::postgres {

namespace {

template <class Port, class Store>
wiring::StoreWithOutbox<Port> with_outbox(std::unique_ptr<Store> store) {
  Outbox* outbox = &store->outbox();
  return {std::move(store), outbox};
}

}  // namespace

wiring::StoreWithOutbox<identity::IdentityStore> PostgresStorage::identity() {
  return with_outbox<identity::IdentityStore>(std::make_unique<PostgresIdentityStore>(database_));
}
wiring::StoreWithOutbox<catalog::CatalogStore> PostgresStorage::catalog() {
  return with_outbox<catalog::CatalogStore>(std::make_unique<PostgresCatalogStore>(database_));
}
wiring::StoreWithOutbox<stock::StockStore> PostgresStorage::stock() {
  return with_outbox<stock::StockStore>(std::make_unique<PostgresStockStore>(database_));
}
wiring::StoreWithOutbox<payment::PaymentStore> PostgresStorage::payment() {
  return with_outbox<payment::PaymentStore>(std::make_unique<PostgresPaymentStore>(database_));
}
wiring::StoreWithOutbox<order::OrderStore> PostgresStorage::order() {
  return with_outbox<order::OrderStore>(std::make_unique<PostgresOrderStore>(database_));
}
wiring::StoreWithOutbox<delivery::DeliveryStore> PostgresStorage::delivery() {
  return with_outbox<delivery::DeliveryStore>(std::make_unique<PostgresDeliveryStore>(database_));
}
std::unique_ptr<dashboard::DashboardStore> PostgresStorage::dashboard() {
  return std::make_unique<PostgresDashboardStore>(database_);
}
std::unique_ptr<webhook::WebhookStore> PostgresStorage::webhook() {
  return std::make_unique<PostgresWebhookStore>(database_);
}

int PostgresStorage::migrate(const std::vector<std::string>& modules) {
  static const std::map<std::string, ModuleSchema (*)()> schemas{
      {"identity", identity_schema}, {"catalog", catalog_schema},
      {"stock", stock_schema},       {"order", order_schema},
      {"payment", payment_schema},   {"delivery", delivery_schema},
      {"dashboard", dashboard_schema}, {"webhook", webhook_schema}};
  std::vector<ModuleSchema> wanted;
  for (const auto& module : modules) wanted.push_back(schemas.at(module)());
  wanted.push_back(runtime_schema());
  return postgres::migrate(database_, wanted).applied;
}

std::vector<wiring::Storage::Metric> PostgresStorage::metrics() {
  auto stats = database_.stats();
  return {
      {"shopbox_postgres_commits_total", "counter", "Write transactions committed.",
       {{"shopbox_postgres_commits_total", double(stats.commits)}}},
      {"shopbox_postgres_retries_total", "counter",
       "Write transactions run again after losing a conflict with another replica.",
       {{"shopbox_postgres_retries_total", double(stats.retries)}}},
  };
}

}  // namespace shop::postgres
