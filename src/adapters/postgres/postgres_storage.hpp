#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/postgres_dead_letters.hpp"
#include "adapters/postgres/postgres_lease_store.hpp"
#include "application/wiring/api.hpp"

namespace shop::postgres {

// Every module's state in one PostgreSQL database, which several replicas
// of a process may share.
class PostgresStorage final : public wiring::Storage {
 public:
  explicit PostgresStorage(DatabaseSettings settings) : database_(std::move(settings)) {}

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
  bool shared() const override { return true; }

 private:
  Database database_;
  PostgresLeaseStore lease_{database_};
  PostgresDeadLetters dead_letters_{database_};
};

}  // namespace shop::postgres
