#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "application/catalog/api.hpp"
#include "application/dashboard/api.hpp"
#include "application/delivery/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/shared/event_bus.hpp"
#include "application/identity/api.hpp"
#include "application/shared/dead_letters.hpp"
#include "application/shared/lease.hpp"
#include "application/shared/outbox.hpp"
#include "application/stock/api.hpp"
#include "application/webhook/api.hpp"

// Who consumes which event, in one place for the process and its tests.
namespace shop::wiring {

// The consuming modules this process runs; null for one that runs elsewhere.
struct Consumers {
  stock::StockApi* stock;
  payment::PaymentApi* payments;
  order::OrderApi* orders;
  delivery::DeliveryApi* deliveries;
  dashboard::DashboardApi* dashboard;
};

// Subscribes each module's handlers (each idempotent by its inbox) to the
// events it consumes, and the dashboard to every event.
void subscribe(EventBus& bus, Consumers consumers);

// A module's store and its outbox (the store's own).
template <class Port>
struct StoreWithOutbox {
  std::unique_ptr<Port> store;
  Outbox* outbox = nullptr;
};

// Where a process keeps its modules' state: one SQLite file, or a
// PostgreSQL database that replicas share. Each call builds a module's
// store on it; the runtime tables (lease, dead letters) are kept here.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual StoreWithOutbox<identity::IdentityStore> identity() = 0;
  virtual StoreWithOutbox<catalog::CatalogStore> catalog() = 0;
  virtual StoreWithOutbox<stock::StockStore> stock() = 0;
  virtual StoreWithOutbox<payment::PaymentStore> payment() = 0;
  virtual StoreWithOutbox<order::OrderStore> order() = 0;
  virtual StoreWithOutbox<delivery::DeliveryStore> delivery() = 0;
  virtual std::unique_ptr<dashboard::DashboardStore> dashboard() = 0;
  virtual std::unique_ptr<webhook::WebhookStore> webhook() = 0;
  virtual LeaseStore& lease() = 0;
  virtual DeadLetters& dead_letters() = 0;

  // Brings the tables of `modules` ("webhook" among them when it runs) and
  // the runtime tables up to date; returns how many migrations ran.
  virtual int migrate(const std::vector<std::string>& modules) = 0;
  virtual bool healthy() = 0;
  // Called after every commit (the outbox relay wakes on it).
  virtual void on_commit(std::function<void()> listener) = 0;
  // Its counters for /metrics, in Prometheus' terms.
  struct Metric {
    const char* family;
    const char* type;
    const char* help;
    std::vector<std::pair<const char*, double>> samples;
  };
  virtual std::vector<Metric> metrics() = 0;
  // True when other processes may serve the same data at once (replicas):
  // then no process may take the background lease from a live holder.
  virtual bool shared() const = 0;
};

// The part of a Storage that is the same for every database: each module's
// store built on `Adapters::Database`. `Adapters` names the adapter's own
// types (Database, IdentityStore, ..., DeadLetters); the adapter adds the
// lease store, migrations and metrics.
template <class Adapters>
class StorageOn : public Storage {
 public:
  template <class Settings>
  explicit StorageOn(Settings settings) : database_(std::move(settings)) {}

  StoreWithOutbox<identity::IdentityStore> identity() override {
    return with_outbox<identity::IdentityStore, typename Adapters::IdentityStore>();
  }
  StoreWithOutbox<catalog::CatalogStore> catalog() override {
    return with_outbox<catalog::CatalogStore, typename Adapters::CatalogStore>();
  }
  StoreWithOutbox<stock::StockStore> stock() override {
    return with_outbox<stock::StockStore, typename Adapters::StockStore>();
  }
  StoreWithOutbox<payment::PaymentStore> payment() override {
    return with_outbox<payment::PaymentStore, typename Adapters::PaymentStore>();
  }
  StoreWithOutbox<order::OrderStore> order() override {
    return with_outbox<order::OrderStore, typename Adapters::OrderStore>();
  }
  StoreWithOutbox<delivery::DeliveryStore> delivery() override {
    return with_outbox<delivery::DeliveryStore, typename Adapters::DeliveryStore>();
  }
  std::unique_ptr<dashboard::DashboardStore> dashboard() override {
    return std::make_unique<typename Adapters::DashboardStore>(database_);
  }
  std::unique_ptr<webhook::WebhookStore> webhook() override {
    return std::make_unique<typename Adapters::WebhookStore>(database_);
  }
  DeadLetters& dead_letters() override { return dead_letters_; }
  bool healthy() override { return database_.healthy(); }
  void on_commit(std::function<void()> listener) override {
    database_.on_commit(std::move(listener));
  }

 protected:
  typename Adapters::Database database_;

 private:
  template <class Port, class Store>
  StoreWithOutbox<Port> with_outbox() {
    auto store = std::make_unique<Store>(database_);
    Outbox* outbox = &store->outbox();
    return {std::move(store), outbox};
  }

  typename Adapters::DeadLetters dead_letters_{database_};
};

}  // namespace shop::wiring
