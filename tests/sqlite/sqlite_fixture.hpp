#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/sqlite/catalog/sqlite_catalog_store.hpp"
#include "adapters/sqlite/dashboard/sqlite_dashboard_store.hpp"
#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/delivery/sqlite_delivery_store.hpp"
#include "adapters/sqlite/identity/sqlite_identity_store.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/order/sqlite_order_store.hpp"
#include "adapters/sqlite/payment/sqlite_payment_store.hpp"
#include "adapters/sqlite/sqlite_lease_store.hpp"
#include "adapters/sqlite/stock/sqlite_stock_store.hpp"
#include "support/temp_dir.hpp"

namespace shop::testing {

inline std::vector<sqlite::ModuleSchema> all_schemas() {
  return {sqlite::identity_schema(), sqlite::catalog_schema(), sqlite::stock_schema(),
          sqlite::delivery_schema(), sqlite::payment_schema(), sqlite::order_schema(),
          sqlite::dashboard_schema(), sqlite::runtime_schema()};
}

inline sqlite::DatabaseSettings settings_for(const std::string& path) {
  sqlite::DatabaseSettings settings;
  settings.path = path;
  return settings;
}

// A migrated database file in a temporary directory.
struct SqliteFixture {
  TempDir dir;
  std::string path = dir.file("shopbox.db");
  std::unique_ptr<sqlite::Database> database = open();

  std::unique_ptr<sqlite::Database> open() {
    auto db = std::make_unique<sqlite::Database>(settings_for(path));
    sqlite::migrate(*db, all_schemas());
    return db;
  }
  // Closes and opens the file again, as a restart would.
  void reopen() {
    database.reset();
    database = open();
  }
};

}  // namespace shop::testing
