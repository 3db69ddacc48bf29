#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/sqlite_dead_letters.hpp"
#include "adapters/sqlite/sqlite_lease_store.hpp"
#include "application/wiring/api.hpp"

namespace shop::sqlite {

// Every module's state in one SQLite file, for one process (and a successor
// taking it over).
class SqliteStorage final : public wiring::Storage {
 public:
  explicit SqliteStorage(DatabaseSettings settings) : database_(std::move(settings)) {}

  wiring::StoreWithOutbox<identity::IdentityStore> identity() override;
  wiring::StoreWithOutbox<catalog::CatalogStore> catalog() override;
  wiring::StoreWithOutbox<stock::StockStore> stock() override;
  wiring::StoreWithOutbox<payment::PaymentStore> payment() override;
  wiring::StoreWithOutbox<order::OrderStore> order() override;
  wiring::StoreWithOutbox<delivery::DeliveryStore> delivery() override;
  std::unique_ptr<dashboard::DashboardStore> dashboard() override;
  std::unique_ptr<webhook::WebhookStore> webhook() override;
  LeaseStore& lease() override { return lease_; }
  DeadLetters& dead_letters() override { return dead_letters_; }

  int migrate(const std::vector<std::string>& modules) override;
  bool healthy() override { return database_.healthy(); }
  void on_commit(std::function<void()> listener) override {
    database_.on_commit(std::move(listener));
  }
  std::vector<Metric> metrics() override;
  bool shared() const override { return false; }

  Database& database() { return database_; }

 private:
  Database database_;
  SqliteLeaseStore lease_{database_};
  SqliteDeadLetters dead_letters_{database_};
};

}  // namespace shop::sqlite
