#pragma once

#include <atomic>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "adapters/postgres/catalog/postgres_catalog_store.hpp"
#include "adapters/postgres/dashboard/postgres_dashboard_store.hpp"
#include "adapters/postgres/database.hpp"
#include "adapters/postgres/delivery/postgres_delivery_store.hpp"
#include "adapters/postgres/identity/postgres_identity_store.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/order/postgres_order_store.hpp"
#include "adapters/postgres/payment/postgres_payment_store.hpp"
#include "adapters/postgres/postgres_lease_store.hpp"
#include "adapters/postgres/stock/postgres_stock_store.hpp"
#include "adapters/postgres/webhook/postgres_webhook_store.hpp"

namespace shop::testing {

// The private cluster CTest starts for these tests (scripts/pg-test-cluster.sh,
// fixture `postgres`): its connection string.
inline std::string postgres_conninfo() {
  std::ifstream state(SHOPBOX_PG_STATE);
  for (std::string line; std::getline(state, line);) {
    if (line.starts_with("conninfo=")) return line.substr(9);
  }
  throw std::runtime_error(
      "no PostgreSQL test cluster: run the tests with ctest, or start one with "
      "scripts/pg-test-cluster.sh start " SHOPBOX_PG_STATE);
}

inline std::vector<postgres::ModuleSchema> all_postgres_schemas() {
  return {postgres::stock_schema(),    postgres::catalog_schema(),  postgres::identity_schema(),
          postgres::payment_schema(),  postgres::runtime_schema(),  postgres::order_schema(),
          postgres::delivery_schema(), postgres::dashboard_schema(), postgres::webhook_schema()};
}

// A fresh, migrated schema of its own on the test cluster, dropped after:
// tests never see each other's rows.
struct PostgresFixture {
  std::string schema = next_schema();
  postgres::DatabaseSettings settings = settings_for(schema);
  std::unique_ptr<postgres::Database> database = open();

  ~PostgresFixture() {
    database.reset();
    postgres::Connection admin(settings_for(""));
    admin.run("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  // Another process on the same database, as a second replica would be.
  std::unique_ptr<postgres::Database> replica() const {
    return std::make_unique<postgres::Database>(settings);
  }

 private:
  static std::string next_schema() {
    static std::atomic<int> counter{0};
    return "test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  }
  static postgres::DatabaseSettings settings_for(const std::string& schema) {
    postgres::DatabaseSettings settings;
    settings.conninfo = postgres_conninfo();
    settings.schema = schema;
    return settings;
  }
  std::unique_ptr<postgres::Database> open() {
    {
      postgres::Connection admin(settings_for(""));
      admin.run("CREATE SCHEMA " + schema);
    }
    auto db = std::make_unique<postgres::Database>(settings);
    postgres::migrate(*db, all_postgres_schemas());
    return db;
  }
};

}  // namespace shop::testing
