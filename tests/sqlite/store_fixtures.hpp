#pragma once

#include "adapters/memory/catalog/memory_catalog_store.hpp"
#include "adapters/memory/dashboard/memory_dashboard_store.hpp"
#include "adapters/memory/delivery/memory_delivery_store.hpp"
#include "adapters/memory/identity/memory_identity_store.hpp"
#include "adapters/memory/order/memory_order_store.hpp"
#include "adapters/memory/payment/memory_payment_store.hpp"
#include "adapters/memory/stock/memory_stock_store.hpp"
#include "sqlite/postgres_fixture.hpp"
#include "sqlite/sqlite_fixture.hpp"

// The same store contract runs against the memory, SQLite and PostgreSQL
// adapters: tests in the application suite rely on the memory ones
// behaving alike. PostgresStores has the modules ported so far.
namespace shop::testing {

struct MemoryStores {
  memory::MemoryCatalogStore catalog;
  memory::MemoryStockStore stock;
  memory::MemoryIdentityStore identity;
  memory::MemoryPaymentStore payment;
  memory::MemoryDeliveryStore delivery;
  memory::MemoryOrderStore order;
  memory::MemoryDashboardStore dashboard;
  Outbox& catalog_outbox() { return catalog; }
  Outbox& stock_outbox() { return stock; }
  Outbox& payment_outbox() { return payment; }
  Outbox& delivery_outbox() { return delivery; }
};

struct SqliteStores {
  SqliteFixture fixture;
  sqlite::SqliteCatalogStore catalog{*fixture.database};
  sqlite::SqliteStockStore stock{*fixture.database};
  sqlite::SqliteIdentityStore identity{*fixture.database};
  sqlite::SqlitePaymentStore payment{*fixture.database};
  sqlite::SqliteDeliveryStore delivery{*fixture.database};
  sqlite::SqliteOrderStore order{*fixture.database};
  sqlite::SqliteDashboardStore dashboard{*fixture.database};
  Outbox& catalog_outbox() { return catalog.outbox(); }
  Outbox& stock_outbox() { return stock.outbox(); }
  Outbox& payment_outbox() { return payment.outbox(); }
  Outbox& delivery_outbox() { return delivery.outbox(); }
};

struct PostgresStores {
  PostgresFixture fixture;
  postgres::PostgresStockStore stock{*fixture.database};
  Outbox& stock_outbox() { return stock.outbox(); }
  postgres::PostgresCatalogStore catalog{*fixture.database};
  Outbox& catalog_outbox() { return catalog.outbox(); }
  postgres::PostgresIdentityStore identity{*fixture.database};
  postgres::PostgresPaymentStore payment{*fixture.database};
  Outbox& payment_outbox() { return payment.outbox(); }
  postgres::PostgresOrderStore order{*fixture.database};
  postgres::PostgresDeliveryStore delivery{*fixture.database};
  postgres::PostgresDashboardStore dashboard{*fixture.database};
  Outbox& delivery_outbox() { return delivery.outbox(); }
};

}  // namespace shop::testing
