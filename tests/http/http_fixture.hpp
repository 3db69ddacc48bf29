#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "adapters/crypto/identity/sodium_credentials.hpp"
#include "adapters/crypto/sodium.hpp"
#include "adapters/http/api_routes.hpp"
#include "adapters/http/health_routes.hpp"
#include "adapters/http/internal/internal_routes.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server.hpp"
#include "adapters/http/webhook/webhook_routes.hpp"
#include "adapters/memory/catalog/memory_catalog_store.hpp"
#include "adapters/memory/dashboard/memory_dashboard_store.hpp"
#include "adapters/memory/dead_letters.hpp"
#include "adapters/memory/delivery/memory_delivery_store.hpp"
#include "adapters/memory/identity/memory_identity_store.hpp"
#include "adapters/memory/order/memory_order_store.hpp"
#include "adapters/memory/payment/memory_payment_store.hpp"
#include "adapters/memory/stock/memory_stock_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "adapters/memory/webhook/memory_webhook_store.hpp"
#include "adapters/memory/webhook/scripted_webhook_sender.hpp"
#include "adapters/payment/payment/sandbox_gateway.hpp"
#include "adapters/system/steady_clock.hpp"
#include "support/http_client.hpp"

namespace shop::testing {

// The whole HTTP surface on memory adapters, served on a free port.
struct HttpFixture {
  memory::ManualClock clock;
  memory::SequentialIds ids;
  memory::SilentLog log;
  memory::MemoryIdentityStore identity_store;
  memory::MemoryCatalogStore catalog_store;
  memory::MemoryStockStore stock_store;
  crypto::Argon2PasswordHasher hasher{crypto::argon2_preset("minimum", 2)};
  crypto::SodiumTokenIssuer tokens;
  std::unique_ptr<identity::IdentityApi> identity =
      identity::make_identity_service({identity_store, hasher, tokens, clock, ids, {}});
  std::unique_ptr<catalog::CatalogApi> catalog =
      catalog::make_catalog_service({catalog_store, clock, ids});
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({stock_store, *catalog, clock, ids, {}});
  memory::MemoryPaymentStore payment_store;
  gateway::SandboxGateway sandbox{{std::chrono::milliseconds(0)}};
  system::SteadyClock steady;
  payment::CircuitBreaker breaker{sandbox, steady, log};
  std::unique_ptr<payment::PaymentApi> payments =
      payment::make_payment_service({payment_store, breaker, clock, ids, log, {}, {}});
  memory::MemoryOrderStore order_store;
  std::unique_ptr<order::OrderApi> orders = order::make_order_service(
      {order_store, *catalog, *stock, *payments, clock, ids, log, {}});
  memory::MemoryDeliveryStore delivery_store;
  std::unique_ptr<delivery::DeliveryApi> deliveries =
      delivery::make_delivery_service({delivery_store, *orders, clock, ids});
  memory::MemoryDashboardStore dashboard_store;
  memory::MemoryDeadLetters dead_letters;
  std::unique_ptr<dashboard::DashboardApi> dashboard =
      dashboard::make_dashboard_service({dashboard_store, clock, "KRW", 5, std::chrono::minutes(0)});
  // One subscriber that refuses every event: each one it is sent becomes a dead letter.
  memory::MemoryWebhookStore webhook_store;
  memory::ScriptedWebhookSender webhook_sender{{webhook::SendResult::rejected, "HTTP 410"}};
  memory::FixedRandom random;
  std::unique_ptr<webhook::WebhookApi> webhooks = webhook::make_webhook_service(
      {webhook_store, webhook_sender, clock, ids, random, log,
       {{"https://hooks.example.com/shop", "fixture-secret", {"*"}}}, {}, {}});
  http::Router router{*identity, log};
  std::atomic<bool> draining{false};
  // What a dead letter's redelivery did: failed while set, else recorded.
  std::atomic<bool> redelivery_fails{false};
  std::vector<std::string> redelivered;
  std::unique_ptr<http::Server> server;

  // With a service token, it also serves the internal routes, as the
  // process owning every module of a split deployment would.
  explicit HttpFixture(std::size_t body_limit = 1 << 20,
                       std::chrono::seconds idle_timeout = std::chrono::seconds(30),
                       std::string service_token = "") {
    crypto::initialise();
    http::add_api_routes(router, {identity.get(),
                                  catalog.get(),
                                  stock.get(),
                                  orders.get(),
                                  payments.get(),
                                  deliveries.get(),
                                  dashboard.get(),
                                  {{"identity", &identity_store},
                                   {"catalog", &catalog_store},
                                   {"stock", &stock_store},
                                   {"order", &order_store},
                                   {"payment", &payment_store},
                                   {"delivery", &delivery_store}},
                                  &dead_letters,
                                  [this](const DeadLetter& letter) {
                                    if (redelivery_fails) throw std::runtime_error("still failing");
                                    redelivered.push_back(letter.event.id);
                                    return true;
                                  }});
    if (!service_token.empty()) {
      http::add_internal_routes(
          router, {identity.get(), catalog.get(), stock.get(), payments.get(), orders.get()},
          service_token);
    }
    http::add_webhook_routes(router, *webhooks);
    http::add_health_routes(router, {{"database", [] { return true; }}}, draining);
    http::ServerSettings settings;
    settings.host = "127.0.0.1";
    settings.port = 0;
    settings.threads = 2;
    settings.body_limit_bytes = body_limit;
    settings.idle_timeout = idle_timeout;
    server = std::make_unique<http::Server>(settings, router, log);
    server->start();
  }

  HttpClient client() { return HttpClient(server->port()); }

  // A signed-in user of the given role; returns the bearer token.
  std::string sign_in(const std::string& email, identity::Role role = identity::Role::customer) {
    identity->create_user({email, "Tester", "correct horse battery"}, role);
    return identity->log_in(email, "correct horse battery", "fixture").token;
  }
};

}  // namespace shop::testing
