#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/crypto/identity/sodium_credentials.hpp"
#include "adapters/crypto/sodium.hpp"
#include "adapters/http/api_routes.hpp"
#include "adapters/http/health_routes.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server.hpp"
#include "adapters/inprocess/in_process_event_bus.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "adapters/http/payment/http_gateway.hpp"
#include "adapters/payment/payment/sandbox_gateway.hpp"
#include "adapters/sqlite/catalog/sqlite_catalog_store.hpp"
#include "adapters/sqlite/dashboard/sqlite_dashboard_store.hpp"
#include "adapters/sqlite/delivery/sqlite_delivery_store.hpp"
#include "adapters/sqlite/identity/sqlite_identity_store.hpp"
#include "adapters/sqlite/order/sqlite_order_store.hpp"
#include "adapters/sqlite/payment/sqlite_payment_store.hpp"
#include "adapters/sqlite/stock/sqlite_stock_store.hpp"
#include "adapters/system/steady_clock.hpp"
#include "adapters/system/system_clock.hpp"
#include "application/catalog/events.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"
#include "application/shared/outbox_relay.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace shop::testing {

// A payment provider the test can take down and bring back, counting the
// calls that reach it (to prove an open circuit sends none).
class SwitchableProvider final : public payment::PaymentGateway {
 public:
  explicit SwitchableProvider(payment::PaymentGateway& inner) : inner_(inner) {}
  std::atomic<bool> down{false};
  std::atomic<int> calls{0};

  payment::GatewayReply charge(const std::string& key, const Money& amount,
                               const std::string& token) override {
    ++calls;
    if (down) return {payment::GatewayOutcome::failed, "", "provider down"};
    return inner_.charge(key, amount, token);
  }
  payment::GatewayReply refund(const std::string& key, const Money& amount,
                               const std::string& reference) override {
    ++calls;
    if (down) return {payment::GatewayOutcome::failed, "", "provider down"};
    return inner_.refund(key, amount, reference);
  }

 private:
  payment::PaymentGateway& inner_;
};

// Real elapsed time that a test can also move forward: a breaker's open
// period then ends when the test says so, not early because a sanitized
// build is slow, while slow calls are still measured as they happen.
class SkippableSteadyClock final : public MonotonicClock {
 public:
  std::chrono::nanoseconds now() const override {
    return steady_.now() + std::chrono::nanoseconds(skipped_.load());
  }
  void skip(std::chrono::nanoseconds by) { skipped_ += by.count(); }

 private:
  system::SteadyClock steady_;
  std::atomic<std::int64_t> skipped_{0};
};

struct AppOptions {
  order::PaymentUnavailablePolicy when_unavailable = order::PaymentUnavailablePolicy::reject;
  int breaker_failures = 3;
  std::chrono::milliseconds breaker_open{60'000};
  int max_delivery_attempts = 10;
  // When set, the breaker wraps an HttpGateway with these settings (pointed
  // at a FakeProvider) instead of the switchable sandbox.
  std::optional<gateway::HttpGatewaySettings> http_provider;
  // The dashboard's: the default low-stock threshold (stock's default too)
  // and the shop's time zone for "today" in the shop summary.
  std::int64_t low_stock_threshold = stock::StockSettings{}.default_low_stock_threshold;
  std::chrono::minutes utc_offset{0};
};

// The whole monolith as main.cpp wires it (SQLite file, sandbox or http
// gateway behind the circuit breaker, in-process bus with its relay
// running), served on a free port: the scenarios of the source documents
// run against it.
struct App {
  TempDir dir;
  system::SystemClock clock;
  SkippableSteadyClock steady;
  memory::SilentLog log;
  crypto::UuidV7Generator ids{clock};
  sqlite::Database database{[&] {
    sqlite::DatabaseSettings settings;
    settings.path = dir.file("shop.db");
    return settings;
  }()};
  sqlite::SqliteIdentityStore identity_store{database};
  sqlite::SqliteCatalogStore catalog_store{database};
  sqlite::SqliteStockStore stock_store{database};
  sqlite::SqliteOrderStore order_store{database};
  sqlite::SqlitePaymentStore payment_store{database};
  sqlite::SqliteDeliveryStore delivery_store{database};
  sqlite::SqliteDashboardStore dashboard_store{database};
  crypto::Argon2PasswordHasher hasher{crypto::argon2_preset("minimum", 4)};
  crypto::SodiumTokenIssuer tokens;
  gateway::SandboxGateway sandbox{{std::chrono::milliseconds(300)}};
  SwitchableProvider provider{sandbox};
  AppOptions options;
  std::unique_ptr<gateway::HttpGateway> http_gateway =
      options.http_provider ? std::make_unique<gateway::HttpGateway>(*options.http_provider)
                            : nullptr;
  payment::CircuitBreaker breaker{chosen_gateway(), steady, log,
                                  {options.breaker_failures, std::chrono::seconds(60),
                                   std::chrono::seconds(5), options.breaker_open}};
  std::unique_ptr<identity::IdentityApi> identity;
  std::unique_ptr<catalog::CatalogApi> catalog;
  std::unique_ptr<stock::StockApi> stock;
  std::unique_ptr<payment::PaymentApi> payments;
  std::unique_ptr<order::OrderApi> orders;
  std::unique_ptr<delivery::DeliveryApi> deliveries;
  std::unique_ptr<dashboard::DashboardApi> dashboard;
  inprocess::InProcessEventBus bus;
  std::unique_ptr<OutboxRelay> relay;
  std::jthread relay_thread;
  std::unique_ptr<http::Router> router;
  std::atomic<bool> draining{false};
  std::unique_ptr<http::Server> server;

  explicit App(AppOptions chosen = {});
  ~App();

  payment::PaymentGateway& chosen_gateway();

  HttpClient client() { return HttpClient(server->port()); }
  // Waits until every committed event went through its handlers.
  void drain_relay();
  // Also makes the refunds (and charge reconciliations) that are due, as the
  // server's refunder does, until nothing moves.
  void settle();

  std::string staff_token();
  std::string customer_token(const std::string& email);
  std::string create_product(const std::string& sku, std::int64_t stock_units);
  static std::string order_body(const std::string& product_id, std::int64_t quantity,
                                const std::string& token = "tok_ok");
};

}  // namespace shop::testing
