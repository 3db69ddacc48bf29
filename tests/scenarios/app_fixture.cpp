#include "scenarios/app_fixture.hpp"

#include <doctest/doctest.h>

#include "adapters/sqlite/migrations.hpp"
#include "application/wiring/api.hpp"

namespace shop::testing {

App::App(AppOptions chosen) : options(chosen) {
  crypto::initialise();
  std::vector<sqlite::ModuleSchema> schemas{sqlite::identity_schema(), sqlite::catalog_schema(),
                                            sqlite::stock_schema(),    sqlite::order_schema(),
                                            sqlite::payment_schema(),  sqlite::delivery_schema(),
                                            sqlite::dashboard_schema()};
  sqlite::migrate(database, schemas);
  identity::IdentitySettings identity_settings;
  identity_settings.login_attempts_per_minute = 10'000;
  identity_settings.registrations_per_minute = 10'000;
  identity = identity::make_identity_service(
      {identity_store, hasher, tokens, clock, ids, identity_settings});
  catalog = catalog::make_catalog_service({catalog_store, clock, ids});
  stock = stock::make_stock_service({stock_store, *catalog, clock, ids, {}});
  payments = payment::make_payment_service({payment_store, breaker, clock, ids, log, {}, {}});
  order::OrderSettings order_settings;
  order_settings.when_payment_unavailable = options.when_unavailable;
  order_settings.payment_retry_backoff = std::chrono::seconds(1);
  orders = order::make_order_service(
      {order_store, *catalog, *stock, *payments, clock, ids, log, order_settings});
  deliveries = delivery::make_delivery_service({delivery_store, *orders, clock, ids});
  dashboard = dashboard::make_dashboard_service(
      {dashboard_store, clock, "KRW", options.low_stock_threshold, options.utc_offset});

  wiring::subscribe(bus,
                    {stock.get(), payments.get(), orders.get(), deliveries.get(), dashboard.get()});
  relay = std::make_unique<OutboxRelay>(
      std::vector<Outbox*>{&identity_store.outbox(), &catalog_store.outbox(),
                           &stock_store.outbox(), &order_store.outbox(),
                           &payment_store.outbox(), &delivery_store.outbox()},
      bus, log, clock, RelaySettings{options.max_delivery_attempts});
  database.on_commit([this] { relay->wake(); });
  relay_thread = std::jthread(
      [this](std::stop_token stop) { relay->run(stop, std::chrono::milliseconds(20)); });

  router = std::make_unique<http::Router>(*identity, log);
  http::add_api_routes(*router, {identity.get(), catalog.get(), stock.get(), orders.get(),
                                 payments.get(), deliveries.get(), dashboard.get(), {}});
  http::ServerSettings settings;
  settings.host = "127.0.0.1";
  settings.port = 0;
  server = std::make_unique<http::Server>(settings, *router, log);
  server->start();
}

payment::PaymentGateway& App::chosen_gateway() {
  if (http_gateway) return *http_gateway;
  return provider;
}

App::~App() {
  server->stop();
  relay_thread.request_stop();
  relay_thread.join();
}

void App::drain_relay() {
  for (int i = 0; i < 500 && !relay->drained(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(relay->drained());
}

// The server's refunder is woken by each refund queued; here settling runs
// its passes, until neither the relay nor the refunds have anything left.
void App::settle() {
  do {
    drain_relay();
  } while (payments->retry_refunds() > 0);
}

std::string App::staff_token() {
  identity->create_user({"staff@shop.kr", "Staff", "staff-password"}, identity::Role::staff);
  return identity->log_in("staff@shop.kr", "staff-password", "test").token;
}

std::string App::customer_token(const std::string& email) {
  identity->create_user({email, "Customer", "customer-password"}, identity::Role::customer);
  return identity->log_in(email, "customer-password", "test").token;
}

std::string App::create_product(const std::string& sku, std::int64_t stock_units) {
  auto product = catalog->create({sku, "Product " + sku, "", Money{4500, "KRW"}, "tea"});
  if (stock_units > 0) stock->restock(product.id, stock_units);
  return product.id;
}

std::string App::order_body(const std::string& product_id, std::int64_t quantity,
                            const std::string& token) {
  return R"({"items":[{"product_id":")" + product_id + R"(","quantity":)" +
         std::to_string(quantity) +
         R"(}],"delivery_address":{"name":"Kim","line1":"1 Sejong-daero","city":"Seoul",)"
         R"("postal_code":"04524","phone":"010-1234-5678"},"payment":{"method":"card","token":")" +
         token + R"("}})";
}

}  // namespace shop::testing
