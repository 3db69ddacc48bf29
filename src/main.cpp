// The composition root: reads the configuration, builds the adapters, wires
// the modules and runs the chosen command. The only file that knows which
// adapters exist.
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "adapters/config/config.hpp"
#include "adapters/crypto/identity/sodium_credentials.hpp"
#include "adapters/crypto/sodium.hpp"
#include "adapters/http/api_routes.hpp"
#include "adapters/http/catalog/catalog_routes.hpp"
#include "adapters/http/client/module_client.hpp"
#include "adapters/http/client/remote_ports.hpp"
#include "adapters/http/health_routes.hpp"
#include "adapters/http/internal/internal_routes.hpp"
#include "adapters/http/metrics_route.hpp"
#include "adapters/http/probe.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server.hpp"
#include "adapters/inprocess/in_process_event_bus.hpp"
#include "adapters/kafka/dev_cluster.hpp"
#include "adapters/kafka/kafka_event_bus.hpp"
#include "adapters/log/json_log.hpp"
#include "adapters/http/payment/http_gateway.hpp"
#include "adapters/payment/payment/sandbox_gateway.hpp"
#include "adapters/http/webhook/http_webhook_sender.hpp"
#include "adapters/http/webhook/webhook_routes.hpp"
#include "adapters/system/random_source.hpp"
#include "application/webhook/api.hpp"
#include "adapters/postgres/postgres_storage.hpp"
#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/sqlite_storage.hpp"
#include "adapters/system/handover.hpp"
#include "adapters/system/process_stats.hpp"
#include "adapters/system/steady_clock.hpp"
#include "adapters/system/system_clock.hpp"
#include "application/catalog/api.hpp"
#include "application/dashboard/api.hpp"
#include "application/delivery/api.hpp"
#include "application/identity/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/shared/background_lease.hpp"
#include "application/shared/outbox_relay.hpp"
#include "application/stock/api.hpp"
#include "application/wiring/api.hpp"
#include "cli/arguments.hpp"
#include "domain/shared/failure.hpp"

extern char** environ;

namespace shop {
namespace {

constexpr const char* version = "0.1.0";

LogLevel log_level(const std::string& name) {
  if (name == "debug") return LogLevel::debug;
  if (name == "warn") return LogLevel::warn;
  if (name == "error") return LogLevel::error;
  return LogLevel::info;
}

sqlite::DatabaseSettings database_settings(const config::Config& config) {
  return {config.database.path,
          config.database.synchronous == "normal" ? sqlite::Synchronous::normal
                                                  : sqlite::Synchronous::full,
          std::chrono::milliseconds(config.database.busy_timeout_ms)};
}

std::chrono::milliseconds lease_ttl(const config::Config& config) {
  return std::chrono::milliseconds(config.database.lease_ttl_ms);
}

// The database that database.kind names.
std::unique_ptr<wiring::Storage> make_storage(const config::Config& config, const Clock& clock) {
  if (config.database.kind != "postgres") {
    return std::make_unique<sqlite::SqliteStorage>(database_settings(config), clock);
  }
  postgres::DatabaseSettings settings;
  settings.conninfo = config.database.url;
  settings.pool_size = int(config.database.pool_size);
  settings.acquire_timeout = std::chrono::milliseconds(config.database.pool_timeout_ms);
  settings.lock_timeout = std::chrono::milliseconds(config.database.lock_timeout_ms);
  settings.idle_in_transaction_timeout =
      std::chrono::milliseconds(config.database.idle_in_transaction_timeout_ms);
  return std::make_unique<postgres::PostgresStorage>(settings, lease_ttl(config));
}

// The payment provider that payment.gateway names.
std::unique_ptr<payment::PaymentGateway> payment_gateway(const config::Config& config) {
  const auto& settings = config.payment;
  if (settings.gateway != "http") {
    return std::make_unique<gateway::SandboxGateway>(
        gateway::SandboxSettings{std::chrono::milliseconds(settings.sandbox_slow_delay_ms)});
  }
  try {
    return std::make_unique<gateway::HttpGateway>(gateway::HttpGatewaySettings{
        settings.http_url, settings.http_api_key,
        std::chrono::milliseconds(settings.http_timeout_ms)});
  } catch (const std::invalid_argument& error) {
    // A mistake in payment.http_url or http_api_key, not on the command
    // line: reported without the usage text.
    throw std::runtime_error(error.what());
  }
}

const std::vector<std::string> publishing_modules{"identity", "catalog", "stock",
                                                  "order",    "payment", "delivery"};

// The Kafka bus when events.bus says so, else none (the in-process one).
std::unique_ptr<kafka::KafkaEventBus> kafka_event_bus(const config::Config& config,
                                                      DeadLetters& dead_letters, const Clock& clock,
                                                      Log& log) {
  if (config.events.bus != "kafka") return nullptr;
  const auto& settings = config.kafka;
  if (settings.brokers.empty()) {
    throw std::runtime_error("events.bus is kafka but kafka.brokers is empty");
  }
  kafka::KafkaSettings kafka{settings.brokers, settings.client_id, settings.topic_prefix, {},
                             std::chrono::milliseconds(settings.delivery_timeout_ms)};
  kafka.properties["security.protocol"] = settings.security_protocol;
  for (auto [name, value] : {std::pair{"sasl.mechanism", &settings.sasl_mechanism},
                             {"sasl.username", &settings.sasl_username},
                             {"sasl.password", &settings.sasl_password},
                             {"ssl.ca.location", &settings.ssl_ca_location}}) {
    if (!value->empty()) kafka.properties[name] = *value;
  }
  return std::make_unique<kafka::KafkaEventBus>(
      kafka,
      kafka::ConsumerSettings{publishing_modules, int(config.events.max_delivery_attempts),
                              std::chrono::milliseconds(settings.session_timeout_ms)},
      dead_letters, clock, log);
}

// Cuts a periodic task's wait short when there is work for it now.
class Wakeup {
 public:
  void notify() {
    {
      std::lock_guard lock(mutex_);
      pending_ = true;
    }
    ready_.notify_one();
  }
  void wait(std::stop_token stop, std::chrono::milliseconds interval) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, stop, interval, [this] { return std::exchange(pending_, false); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any ready_;
  bool pending_ = false;
};

// The modules this process runs (all of them by default) on its own
// database, and ports to those that run in other processes.
struct Monolith {
  const config::Config& config;
  std::vector<std::string> run = config::modules_to_run(config.modules.run);
  system::SystemClock clock;
  log::JsonLog log{clock, log_level(config.log.level)};
  crypto::UuidV7Generator ids{clock};
  system::SteadyClock steady;
  std::unique_ptr<wiring::Storage> storage = make_storage(config, clock);
  LeaseStore& lease_store = storage->lease();
  DeadLetters& dead_letters = storage->dead_letters();

  // Each null when its module runs elsewhere.
  std::unique_ptr<identity::IdentityStore> identity_store;
  std::unique_ptr<crypto::Argon2PasswordHasher> hasher;
  crypto::SodiumTokenIssuer tokens;
  std::unique_ptr<identity::IdentityApi> identity;
  std::unique_ptr<catalog::CatalogStore> catalog_store;
  std::unique_ptr<catalog::CatalogApi> catalog;
  std::unique_ptr<stock::StockStore> stock_store;
  std::unique_ptr<stock::StockApi> stock;
  std::unique_ptr<payment::PaymentStore> payment_store;
  std::unique_ptr<payment::PaymentGateway> provider;
  std::unique_ptr<payment::CircuitBreaker> breaker;
  Wakeup refunds_due;
  std::unique_ptr<payment::PaymentApi> payments;
  std::unique_ptr<order::OrderStore> order_store;
  std::unique_ptr<order::OrderApi> orders;
  std::unique_ptr<delivery::DeliveryStore> delivery_store;
  std::unique_ptr<delivery::DeliveryApi> deliveries;
  std::unique_ptr<dashboard::DashboardStore> dashboard_store;
  std::unique_ptr<dashboard::DashboardApi> dashboard;
  std::unique_ptr<webhook::WebhookStore> webhook_store;
  std::unique_ptr<http::HttpWebhookSender> webhook_sender;
  system::SystemRandom random;
  Wakeup webhooks_due;
  std::unique_ptr<webhook::WebhookApi> webhooks;

  // The modules that run elsewhere, called at their owners' URLs.
  std::map<std::string, std::unique_ptr<http::ModuleClient>> clients;
  std::unique_ptr<http::RemoteTokenLookup> remote_tokens;
  std::unique_ptr<http::RemoteProductLookup> remote_products;
  std::unique_ptr<http::RemoteReservations> remote_reservations;
  std::unique_ptr<http::RemotePayments> remote_payments;
  std::unique_ptr<http::RemoteDispatch> remote_dispatch;

  // The synchronous ports, local or remote; null where nothing here calls them.
  identity::TokenLookup* token_lookup = nullptr;
  catalog::ProductLookup* product_lookup = nullptr;
  stock::Reservations* reservations = nullptr;
  payment::Payments* payment_port = nullptr;
  order::Dispatch* dispatch = nullptr;

  inprocess::InProcessEventBus local_bus;
  std::unique_ptr<kafka::KafkaEventBus> kafka_bus;
  EventBus* bus = nullptr;
  std::unique_ptr<OutboxRelay> relay;

  // A command (migrate, user create, replay) relays no events: only a
  // server connects to the Kafka brokers.
  enum class Role { server, command };

  explicit Monolith(const config::Config& c, Role role = Role::command) : config(c) {
    build_identity();
    build_catalog();
    build_stock();
    build_payment();
    build_order();
    build_delivery();
    if (runs("dashboard")) {
      dashboard_store = storage->dashboard();
      dashboard = dashboard::make_dashboard_service(
          {*dashboard_store, clock, config.shop.currency, config.stock.low_stock_threshold,
           config::parse_utc_offset(config.shop.utc_offset)});
    }
    build_webhooks();
    if (role == Role::server) kafka_bus = kafka_event_bus(config, dead_letters, clock, log);
    bus = kafka_bus ? static_cast<EventBus*>(kafka_bus.get()) : &local_bus;
    std::vector<Outbox*> local_outboxes;
    for (const auto& [module, outbox] : outboxes()) local_outboxes.push_back(outbox);
    relay = std::make_unique<OutboxRelay>(
        std::move(local_outboxes), *bus, log, clock,
        RelaySettings{int(config.events.max_delivery_attempts),
                      kafka_bus ? kafka::KafkaEventBus::relay_batch_size : RelaySettings{}.batch_size});
    wiring::subscribe(*bus, {stock.get(), payments.get(), orders.get(), deliveries.get(),
                             dashboard.get()});
    if (webhooks) {
      bus->subscribe_all("webhooks", [this](const std::vector<EventEnvelope>& events) {
        webhooks->on_events(events);
      });
    }
  }

  bool runs(std::string_view module) const {
    return std::find(run.begin(), run.end(), module) != run.end();
  }
  bool runs_all() const { return run.size() == config::module_names().size(); }
  bool needs(std::initializer_list<std::string_view> callers) const {
    return std::any_of(callers.begin(), callers.end(), [this](auto m) { return runs(m); });
  }

  // The outbox of each module this process runs, by module name.
  const std::vector<std::pair<std::string, Outbox*>>& outboxes() const { return outboxes_; }

  // Brings this process's tables up to date; returns how many migrations ran.
  int migrate() {
    auto modules = run;
    if (webhooks) modules.push_back("webhook");
    return storage->migrate(modules);
  }

 private:
  std::vector<std::pair<std::string, Outbox*>> outboxes_;

  // Keeps the store of a module this process runs, and its outbox.
  template <class Port>
  void keep(const char* module, wiring::StoreWithOutbox<Port> made, std::unique_ptr<Port>& store) {
    store = std::move(made.store);
    outboxes_.emplace_back(module, made.outbox);
  }

  // Webhooks go out from the process that runs the dashboard (every
  // process, unless split), which hears every event.
  void build_webhooks() {
    if (!runs("dashboard")) return;
    const auto& settings = config.webhooks;
    std::vector<webhook::Subscriber> subscribers;
    for (const auto& s : settings.subscribers) subscribers.push_back({s.url, s.secret, s.events});
    try {
      webhook_sender = std::make_unique<http::HttpWebhookSender>(
          subscribers, std::chrono::milliseconds(settings.timeout_ms), clock);
    } catch (const std::invalid_argument& error) {
      // A mistake in a subscriber's URL, not on the command line: reported
      // without the usage text.
      throw std::runtime_error(error.what());
    }
    webhook_store = storage->webhook();
    webhooks = webhook::make_webhook_service(
        {*webhook_store, *webhook_sender, clock, ids, random, log, std::move(subscribers),
         {int(settings.max_attempts), std::chrono::milliseconds(settings.initial_backoff_ms),
          std::chrono::milliseconds(settings.max_backoff_ms)},
         [this] { webhooks_due.notify(); }});
  }

  http::ModuleClient& client(const std::string& module, const std::string& url) {
    auto& found = clients[module];
    if (!found) {
      const auto& settings = config.modules;
      // A payment waits for the provider, with its retries: a deadline of its own.
      std::chrono::milliseconds timeout(module == "payment" ? settings.payment_call_timeout_ms
                                                            : settings.call_timeout_ms);
      found = std::make_unique<http::ModuleClient>(
          http::ModuleClientSettings{module, url, settings.service_token, timeout,
                                     {5, std::chrono::seconds(30), timeout,
                                      std::chrono::seconds(10)}},
          steady, log);
    }
    return *found;
  }

  void build_identity() {
    if (!runs("identity")) {
      remote_tokens = std::make_unique<http::RemoteTokenLookup>(
          client("identity", config.modules.identity_url), steady,
          std::chrono::seconds(config.modules.token_cache_seconds));
      token_lookup = remote_tokens.get();
      return;
    }
    const auto& settings = config.identity;
    keep("identity", storage->identity(), identity_store);
    hasher = std::make_unique<crypto::Argon2PasswordHasher>(crypto::argon2_preset(
        settings.password_hash_strength, int(settings.password_hash_concurrency)));
    identity = identity::make_identity_service(
        {*identity_store, *hasher, tokens, clock, ids,
         {std::chrono::hours(settings.token_ttl_hours), int(settings.login_attempts_per_minute),
          int(settings.registrations_per_minute)}});
    token_lookup = identity.get();
  }

  void build_catalog() {
    if (runs("catalog")) {
      keep("catalog", storage->catalog(), catalog_store);
      catalog = catalog::make_catalog_service({*catalog_store, clock, ids, config.shop.currency});
      product_lookup = catalog.get();
    } else if (needs({"stock", "order"})) {
      remote_products =
          std::make_unique<http::RemoteProductLookup>(client("catalog", config.modules.catalog_url));
      product_lookup = remote_products.get();
    }
  }

  void build_stock() {
    if (runs("stock")) {
      keep("stock", storage->stock(), stock_store);
      stock = stock::make_stock_service(
          {*stock_store, *product_lookup, clock, ids,
           {config.stock.low_stock_threshold,
            std::chrono::seconds(config.stock.reservation_ttl_seconds)}});
      reservations = stock.get();
    } else if (runs("order")) {
      remote_reservations =
          std::make_unique<http::RemoteReservations>(client("stock", config.modules.stock_url));
      reservations = remote_reservations.get();
    }
  }

  void build_payment() {
    if (!runs("payment")) {
      if (runs("order")) {
        remote_payments =
            std::make_unique<http::RemotePayments>(client("payment", config.modules.payment_url));
        payment_port = remote_payments.get();
      }
      return;
    }
    const auto& settings = config.payment;
    keep("payment", storage->payment(), payment_store);
    provider = payment_gateway(config);
    breaker = std::make_unique<payment::CircuitBreaker>(
        *provider, steady, log,
        payment::CircuitBreakerSettings{int(settings.breaker_failure_threshold),
                                        std::chrono::seconds(settings.breaker_window_seconds),
                                        std::chrono::milliseconds(settings.breaker_slow_call_ms),
                                        std::chrono::seconds(settings.breaker_open_seconds)});
    payments = payment::make_payment_service(
        {*payment_store, *breaker, clock, ids, log,
         {int(settings.refund_max_attempts), std::chrono::seconds(settings.refund_backoff_seconds)},
         [this] { refunds_due.notify(); }});
    payment_port = payments.get();
  }

  void build_order() {
    if (!runs("order")) {
      if (runs("delivery")) {
        remote_dispatch =
            std::make_unique<http::RemoteDispatch>(client("order", config.modules.order_url));
        dispatch = remote_dispatch.get();
      }
      return;
    }
    const auto& settings = config.order;
    keep("order", storage->order(), order_store);
    orders = order::make_order_service(
        {*order_store, *product_lookup, *reservations, *payment_port, clock, ids, log,
         {settings.when_payment_unavailable == "defer" ? order::PaymentUnavailablePolicy::defer
                                                       : order::PaymentUnavailablePolicy::reject,
          std::chrono::seconds(settings.payment_retry_backoff_seconds),
          std::chrono::seconds(settings.payment_pending_ttl_seconds),
          std::chrono::hours(settings.idempotency_ttl_hours)}});
    dispatch = orders.get();
  }

  void build_delivery() {
    if (!runs("delivery")) return;
    keep("delivery", storage->delivery(), delivery_store);
    deliveries = delivery::make_delivery_service({*delivery_store, *dispatch, clock, ids});
  }
};

void create_bootstrap_staff(Monolith& app) {
  const auto& settings = app.config.identity;
  if (settings.bootstrap_staff_email.empty() || !app.identity) return;
  try {
    app.identity->create_user({settings.bootstrap_staff_email, "Staff",
                               settings.bootstrap_staff_password},
                              identity::Role::staff);
    app.log.write(LogLevel::info, "bootstrap staff user created",
                  {{"email", settings.bootstrap_staff_email}});
  } catch (const Failure& failure) {
    if (failure.code() != "email_taken") throw;
  }
}

// What ends serve(): the first signal, or a successor that took the
// listener over.
class StopRequest {
 public:
  void request(std::string reason) {
    {
      std::lock_guard lock(mutex_);
      if (!reason_.empty()) return;
      reason_ = std::move(reason);
    }
    requested_.notify_all();
  }
  bool requested() {
    std::lock_guard lock(mutex_);
    return !reason_.empty();
  }
  std::string wait() {
    std::unique_lock lock(mutex_);
    requested_.wait(lock, [this] { return !reason_.empty(); });
    return reason_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable requested_;
  std::string reason_;
};

// Turns SIGTERM and SIGINT (blocked in every thread, so only this thread
// takes them) into a stop request; a second one ends the process at once.
// The thread outlives serve(): it owns what it uses.
void watch_signals(sigset_t signals, std::shared_ptr<StopRequest> stop) {
  std::thread([signals, stop = std::move(stop)] {
    int received = 0;
    sigwait(&signals, &received);
    stop->request(received == SIGINT ? "SIGINT" : "SIGTERM");
    sigwait(&signals, &received);
    std::_Exit(1);
  }).detach();
}

// Runs `work` every `interval`, or sooner when woken, until stopped;
// failures are logged, not fatal. `work` gets the stop token so that a
// long pass can end early.
std::jthread periodic(Log& log, const char* name, std::chrono::milliseconds interval,
                      std::function<void(std::stop_token)> work, Wakeup* wakeup = nullptr) {
  return std::jthread([&log, name, interval, wakeup, work = std::move(work)](std::stop_token stop) {
    Wakeup own;
    Wakeup& waits_on = wakeup ? *wakeup : own;
    while (!stop.stop_requested()) {
      try {
        work(stop);
      } catch (const std::exception& error) {
        log.write(LogLevel::error, "background task failed", {{"task", name}, {"error", error.what()}});
      }
      waits_on.wait(stop, interval);
    }
  });
}

// The work behind the requests, run only by the process holding the
// background lease. Started and stopped by the lease keeper, and stopped
// by the shutdown: a mutex keeps the two apart.
class BackgroundWork {
 public:
  explicit BackgroundWork(Monolith& app) : app_(app) {}

  void start() {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    auto& app = app_;
    const auto& config = app.config;
    relay_ = std::jthread(
        [&app](std::stop_token stop) { app.relay->run(stop, std::chrono::milliseconds(500)); });
    if (app.stock) {
      sweeper_ = periodic(app.log, "reservation_sweeper",
                          std::chrono::seconds(config.stock.sweep_interval_seconds),
                          [&app](std::stop_token) { app.stock->release_expired(); });
    }
    // The first pass resumes or compensates what a crash left behind.
    if (app.orders) {
      recovery_ = periodic(app.log, "saga_recovery",
                           std::chrono::seconds(config.order.recovery_interval_seconds),
                           [&app](std::stop_token) { app.orders->recover(); });
    }
    // Small merge steps, each its own write, until the search index is one
    // piece again; then a look a minute later for what new products added.
    if (app.catalog) {
      search_index_ = periodic(app.log, "search_index_merge", std::chrono::minutes(1),
                               [&app](std::stop_token stop) {
                                 while (!stop.stop_requested() &&
                                        app.catalog->compact_search_index())
                                   continue;
                               });
    }
    // Woken by each refund a cancel queues; passes go on while they settle some.
    if (app.payments) {
      refunds_ = periodic(
          app.log, "refunds", std::chrono::seconds(config.payment.refund_backoff_seconds),
          [&app](std::stop_token stop) {
            while (!stop.stop_requested() && app.payments->retry_refunds() > 0) continue;
          },
          &app.refunds_due);
    }
    // Woken by each delivery queued; passes go on while they send some.
    if (app.webhooks) {
      webhooks_ = periodic(
          app.log, "webhooks", std::chrono::seconds(1),
          [&app](std::stop_token stop) {
            while (!stop.stop_requested() && app.webhooks->deliver_due(stop) > 0) continue;
          },
          &app.webhooks_due);
    }
  }

  // Stops every task and waits for it; what the relay has not passed on
  // stays in the outboxes for the next holder. Harmless when not started.
  void stop() {
    std::lock_guard lock(mutex_);
    stop_tasks();
  }
  // Stops it for good: a start() racing with the shutdown does nothing.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    stop_tasks();
  }

 private:
  void stop_tasks() {
    for (auto* task : {&relay_, &sweeper_, &recovery_, &search_index_, &refunds_, &webhooks_}) {
      task->request_stop();
    }
    for (auto* task : {&relay_, &sweeper_, &recovery_, &search_index_, &refunds_, &webhooks_}) {
      if (task->joinable()) task->join();
    }
  }

  Monolith& app_;
  std::mutex mutex_;
  bool closed_ = false;
  std::jthread relay_, sweeper_, recovery_, search_index_, refunds_, webhooks_;
};

// The hand-over socket's path, or nothing for a database no other process
// can open by its path (in memory, or a URI).
std::optional<std::string> handover_path(const config::Config& config) {
  if (!config.http.handover_socket.empty()) return config.http.handover_socket;
  // Replicas share a PostgreSQL database: no one process is its only server.
  if (config.database.kind == "postgres") return std::nullopt;
  const auto& database = config.database.path;
  if (database.empty() || database == ":memory:" || database.starts_with("file:")) {
    return std::nullopt;
  }
  return system::handover_path_for(database);
}

// What GET /metrics reports (the README's Operations section lists it),
// gathered at each scrape.
std::vector<http::MetricsCollector> metrics_collectors(Monolith& app, const http::Server& server,
                                                       const BackgroundLease& lease) {
  using http::PrometheusText;
  std::vector<http::MetricsCollector> collectors{
      [&lease](PrometheusText& out) {
        out.family("shopbox_background_lease_held", "gauge",
                   "1 when this process runs the background work (relay, sweeper, recovery).");
        out.sample("shopbox_background_lease_held", lease.held() ? 1 : 0);
      },
      [&server](PrometheusText& out) {
        server.metrics().render(out);
        out.family("shopbox_http_open_connections", "gauge", "Client connections open now.");
        out.sample("shopbox_http_open_connections", server.open_connections());
      },
      [&app](PrometheusText& out) {
        // In this process the relay runs the handlers before it marks an
        // event published: the outbox's age is also the handlers' lag.
        std::vector<std::pair<std::string, OutboxBacklog>> backlogs;
        for (const auto& [module, outbox] : app.outboxes()) {
          backlogs.emplace_back(module, outbox->backlog());
        }
        Timestamp now = app.clock.now();
        out.family("shopbox_outbox_unpublished_events", "gauge",
                   "Events committed but not yet relayed to their handlers, by module.");
        for (const auto& [module, backlog] : backlogs) {
          out.sample("shopbox_outbox_unpublished_events", {{"module", module}},
                     double(backlog.unpublished));
        }
        out.family("shopbox_outbox_lag_seconds", "gauge",
                   "Age of the oldest event not yet relayed and handled, by module (0: none).");
        for (const auto& [module, backlog] : backlogs) {
          double lag = backlog.oldest_unpublished
                           ? std::chrono::duration<double>(now - *backlog.oldest_unpublished).count()
                           : 0.0;
          out.sample("shopbox_outbox_lag_seconds", {{"module", module}}, std::max(0.0, lag));
        }
        out.family("shopbox_parked_events", "gauge",
                   "Events whose handlers kept failing, set aside for staff, by module.");
        for (const auto& [module, backlog] : backlogs) {
          out.sample("shopbox_parked_events", {{"module", module}}, double(backlog.parked));
        }
      },
      [&app](PrometheusText& out) {
        for (const auto& metric : app.storage->metrics()) {
          out.family(metric.family, metric.type, metric.help);
          for (const auto& [name, value] : metric.samples) out.sample(name, value);
        }
      },
      [](PrometheusText& out) {
        auto stats = system::read_process_stats();
        out.family("process_cpu_seconds_total", "counter", "User and system CPU time spent.");
        out.sample("process_cpu_seconds_total", stats.cpu_seconds);
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size.");
        out.sample("process_resident_memory_bytes", double(stats.resident_bytes));
        out.family("process_open_fds", "gauge", "Open file descriptors.");
        out.sample("process_open_fds", double(stats.open_fds));
        out.family("process_max_fds", "gauge", "The limit of open file descriptors.");
        out.sample("process_max_fds", double(stats.max_fds));
      },
  };
  if (app.orders) {
    collectors.push_back([&app](PrometheusText& out) {
      out.family("shopbox_orders", "gauge", "Orders by status.");
      for (const auto& [status, count] : app.orders->count_by_status()) {
        out.sample("shopbox_orders", {{"status", order::to_string(status)}}, double(count));
      }
    });
  }
  if (app.dashboard) {
    collectors.push_back([&app](PrometheusText& out) {
      // Percentiles over a ring of recent events, not a summary's counts.
      auto lag = app.dashboard->projection_lag();
      for (auto [name, value] : {std::pair{"shopbox_projection_lag_p50_seconds", lag.p50},
                                 {"shopbox_projection_lag_p99_seconds", lag.p99},
                                 {"shopbox_projection_lag_max_seconds", lag.max}}) {
        out.family(name, "gauge",
                   "Commit of an event to commit of its read model, over the recent events.");
        out.sample(name, std::chrono::duration<double>(value).count());
      }
    });
  }
  if (app.breaker) {
    collectors.push_back([&app](PrometheusText& out) {
      auto state = app.breaker->state();
      out.family("shopbox_payment_circuit_state", "gauge",
                 "The payment gateway's circuit breaker: 1 for its current state.");
      for (auto each : {CircuitState::closed, CircuitState::open, CircuitState::half_open}) {
        out.sample("shopbox_payment_circuit_state", {{"state", to_string(each)}},
                   each == state ? 1 : 0);
      }
      out.family("shopbox_payment_circuit_transitions_total", "counter",
                 "Changes of the circuit breaker's state.");
      out.sample("shopbox_payment_circuit_transitions_total", double(app.breaker->transitions()));
    });
  }
  if (!app.clients.empty()) {
    collectors.push_back([&app](PrometheusText& out) {
      out.family("shopbox_module_circuit_state", "gauge",
                 "The circuit breaker of each module called in another process: 1 for its state.");
      for (const auto& [module, client] : app.clients) {
        auto state = client->circuit().state();
        for (auto each : {CircuitState::closed, CircuitState::open, CircuitState::half_open}) {
          out.sample("shopbox_module_circuit_state", {{"module", module}, {"state", to_string(each)}},
                     each == state ? 1 : 0);
        }
      }
    });
  }
  return collectors;
}

// The cores this process may run on, which `taskset` or a cpuset may limit
// below the machine's.
int cores_available() {
  cpu_set_t cores;
  if (sched_getaffinity(0, sizeof cores, &cores) != 0) return 2;
  return std::max(1, CPU_COUNT(&cores));
}

// How long the relay may go without starting a pass and still count as
// running: its backoff maximum (5 s) plus, on Kafka, a batch's wait for
// the brokers, with room to spare.
std::chrono::milliseconds relay_liveness(const config::Config& config) {
  std::chrono::milliseconds brokers{config.events.bus == "kafka" ? config.kafka.delivery_timeout_ms
                                                                 : 0};
  return std::chrono::seconds(15) + brokers;
}

http::ServerSettings server_settings(const config::Config& config) {
  http::ServerSettings settings;
  settings.host = config.http.host;
  settings.port = static_cast<unsigned short>(config.http.port);
  settings.threads = config.http.threads > 0 ? int(config.http.threads) : cores_available();
  settings.workers = int(config.http.workers);
  settings.max_queued_requests = int(config.http.max_queued_requests);
  settings.max_connections = int(config.http.max_connections);
  settings.body_limit_bytes = std::size_t(config.http.body_limit_bytes);
  settings.header_limit_bytes = std::size_t(config.http.header_limit_bytes);
  settings.idle_timeout = std::chrono::seconds(config.http.idle_timeout_seconds);
  settings.drain_timeout = std::chrono::seconds(config.http.drain_timeout_seconds);
  settings.shutdown_grace = std::chrono::seconds(config.http.shutdown_grace_seconds);
  return settings;
}

// Steps the background lease on a thread of its own: starts the work when
// the lease is taken, stops it when it is lost. A second thread stops the
// work at the lease's deadline should a step hang past it (held() turns
// false then whatever the store does). Once winding down it only renews,
// so that the lease outlasts the work's last pass and flush.
class LeaseKeeper {
 public:
  LeaseKeeper(BackgroundLease& lease, BackgroundWork& work, http::ResponseCache& cache, Log& log)
      : lease_(lease), work_(work), cache_(cache), log_(log) {}

  // The first step, before any request is served.
  void begin() {
    step();
    thread_ = std::jthread([this](std::stop_token stop) {
      Wakeup pause;  // never woken: the stop token ends the wait
      for (;;) {
        pause.wait(stop, lease_.next_step_in());
        if (stop.stop_requested()) return;
        step();
      }
    });
    deadline_watch_ = std::jthread([this](std::stop_token stop) {
      while (!stop.stop_requested()) {
        // Without the lease there is no deadline: a step taking it wakes this.
        auto left = std::chrono::ceil<std::chrono::milliseconds>(lease_.time_left());
        if (left == std::chrono::milliseconds::zero()) left = std::chrono::hours(1);
        stepped_.wait(stop, left);
        follow_lease();
      }
    });
  }
  void wind_down() { winding_down_ = true; }
  // Frees the lease for a successor; after the work has stopped.
  void release() {
    deadline_watch_ = {};
    thread_ = {};
    lease_.release();
  }

 private:
  void step() {
    if (!winding_down_ || lease_.held()) lease_.step();
    follow_lease();
    stepped_.notify();
  }

  // Runs the work exactly while the lease is held here, but starts none
  // once winding down.
  void follow_lease() {
    std::lock_guard lock(mutex_);
    bool held = lease_.held();
    if (held == running_ || (held && winding_down_)) return;
    running_ = held;
    if (held) {
      work_.start();
      // A process that does not relay events hears of no change made by others.
      cache_.set_enabled(true);
      log_.write(LogLevel::info, "background lease taken: running the background work");
    } else {
      cache_.set_enabled(false);
      work_.stop();
      log_.write(LogLevel::warn, "background lease lost: background work stopped");
    }
  }

  BackgroundLease& lease_;
  BackgroundWork& work_;
  http::ResponseCache& cache_;
  Log& log_;
  std::atomic<bool> winding_down_{false};
  std::mutex mutex_;
  bool running_ = false;
  Wakeup stepped_;
  std::jthread thread_;
  std::jthread deadline_watch_;
};

int serve(const config::Config& config, bool take_over) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto stop = std::make_shared<StopRequest>();
  watch_signals(signals, stop);

  Monolith app(config, Monolith::Role::server);
  auto path = handover_path(config);
  if (take_over && !path) {
    throw std::runtime_error("--take-over needs a database file that both processes open by "
                             "its path, or http.handover_socket");
  }
  using Start = system::HandoverPoint::Start;
  std::optional<system::HandoverPoint> handover;
  // A plain start first makes sure that no other server runs here.
  if (path && !take_over) handover.emplace(*path, app.log, Start::only_server);
  int applied = app.migrate();
  app.log.write(LogLevel::info, "database ready",
                {{"path", config.database.path}, {"migrations_applied", std::int64_t(applied)}});
  create_bootstrap_staff(app);
  app.storage->on_commit([&app] { app.relay->wake(); });

  http::Router router(*app.token_lookup, app.log);
  http::add_api_routes(router, {app.identity.get(), app.catalog.get(), app.stock.get(),
                                 app.orders.get(), app.payments.get(), app.deliveries.get(),
                                 app.dashboard.get(), app.outboxes(), &app.dead_letters,
                                 app.kafka_bus ? http::Redelivery([&app](const DeadLetter& letter) {
                                   return app.kafka_bus->redeliver(letter);
                                 })
                                               : http::Redelivery()});
  if (app.webhooks) http::add_webhook_routes(router, *app.webhooks);
  if (!app.runs_all()) {
    http::add_internal_routes(router,
                              {app.identity.get(), app.catalog.get(), app.stock.get(),
                               app.payments.get(), app.orders.get()},
                              config.modules.service_token);
  }
  auto forget_changed = [&router](const std::vector<EventEnvelope>& events) {
    for (const auto& event : events) http::forget_changed_product(router.cache(), event);
  };
  // The consumers call into the router: they stop before it goes, however
  // serve() ends.
  struct StopConsumers {
    kafka::KafkaEventBus* bus;
    ~StopConsumers() {
      if (bus) bus->stop_consumers();
    }
  } stop_consumers{app.kafka_bus.get()};
  if (app.kafka_bus) {
    app.kafka_bus->subscribe_in_this_process("response_cache", forget_changed);
    app.kafka_bus->start_consumers();
  } else {
    app.bus->subscribe_all("response_cache", forget_changed);
  }
  router.cache().set_enabled(false);  // until this process holds the lease

  if (take_over && stop->requested()) return 0;
  std::optional<system::Takeover> takeover =
      take_over ? system::Takeover::request(*path) : std::nullopt;
  if (take_over && !takeover) {
    app.log.write(LogLevel::info, "no server to take over; starting as the only one");
    handover.emplace(*path, app.log, Start::only_server);
  }
  // The only server of this database takes the lease from whoever held
  // it (a crashed process); a successor waits for its predecessor's, and a
  // replica on a shared database for the holder's to run out.
  BackgroundLease lease(app.lease_store, app.steady, app.log,
                        "pid " + std::to_string(getpid()) + " " + app.ids.next(),
                        {lease_ttl(config), std::chrono::milliseconds(200)},
                        !takeover && !app.storage->shared());
  BackgroundWork work(app);
  LeaseKeeper keeper(lease, work, router.cache(), app.log);

  auto settings = server_settings(config);
  if (takeover) settings.listener = takeover->listener();
  http::Server server(settings, router, app.log);
  http::add_health_routes(
      router,
      {{"database", [&app] { return app.storage->healthy(); }},
       // In a process without the lease, the relay runs in the holder.
       {"outbox_relay",
        [&app, &lease, within = relay_liveness(config)] {
          return lease.held() ? app.relay->alive(within) : lease.accounted_for();
        }}},
      server.draining());
  http::add_metrics_route(router, metrics_collectors(app, server, lease));
  server.start();
  if (takeover && !stop->requested()) {
    // Bound before confirming: the path never lacks a live server.
    handover.emplace(*path, app.log, Start::successor);
    takeover->confirm();
    app.log.write(LogLevel::info, "took the listener over",
                  {{"predecessor_pid", std::int64_t(takeover->predecessor())}});
    if (config.http.port != 0 && config.http.port != server.port()) {
      app.log.write(LogLevel::warn, "the listener taken over is not on http.port; a plain "
                                    "restart moves it",
                    {{"port", std::int64_t(server.port())}, {"http.port", config.http.port}});
    }
  }
  // Stopped while starting: the predecessor, never told, keeps serving.
  takeover.reset();
  // The lease first: a successor let in by the hand-over socket must find
  // it taken, or this process's first step could take it from the successor.
  keeper.begin();
  if (handover) {
    handover->open(server.listener_handle(), [stop](long) { stop->request("handed over"); });
  }
  app.log.write(LogLevel::info, "listening",
                {{"host", config.http.host}, {"port", std::int64_t(server.port())},
                 {"version", version}, {"background_lease", lease.held()}});

  std::string reason = stop->wait();
  bool handed_over = reason == "handed over";
  app.log.write(LogLevel::info, "shutting down", {{"reason", reason}});
  keeper.wind_down();
  if (handover && !handed_over) handover->refuse();
  // After a hand-over the successor accepts on the same socket: no grace.
  server.stop(handed_over ? std::chrono::seconds(0) : settings.shutdown_grace);
  work.close();
  if (lease.held()) {
    try {
      // Not past the lease: another process may take it over afterwards.
      app.relay->relay_pending([&lease] { return lease.held(); });
    } catch (const std::exception& error) {
      if (!ends_pass(error)) throw;
      app.log.write(LogLevel::warn, "events left in the outbox for the next start",
                    {{"error", error.what()}});
    }
  }
  keeper.release();
  app.log.write(LogLevel::info, "stopped");
  return 0;
}

int create_user(const config::Config& config, const cli::Arguments& arguments) {
  auto option = [&](const char* name, std::string fallback) {
    auto it = arguments.options.find(name);
    return it == arguments.options.end() ? fallback : it->second;
  };
  std::string email = option("email", "");
  if (email.empty()) throw std::invalid_argument("user create needs --email");
  auto role = identity::role_from_string(option("role", "customer"));
  if (!role) throw std::invalid_argument("--role must be staff or customer");
  std::string password = cli::read_password(arguments.password_stdin);

  Monolith app(config);
  if (!app.identity) throw std::runtime_error("user create runs where modules.run has identity");
  app.migrate();
  auto user = app.identity->create_user({email, option("name", email.substr(0, email.find('@'))),
                                         password},
                                        *role);
  // Its event waits in the outbox for the server's relay (the one process
  // that runs background work), not this short-lived one.
  std::cout << "created " << identity::to_string(user.role) << " user " << user.email << " ("
            << user.id << ")\n";
  return 0;
}

// A consistent copy of the database, taken while the server runs on it.
int backup(const config::Config& config, const std::string& target) {
  if (config.database.kind == "postgres") {
    throw std::runtime_error("backup copies a SQLite file; back PostgreSQL up with pg_dump");
  }
  const std::string& source = config.database.path;
  if (!std::filesystem::exists(source)) throw std::runtime_error("no database at " + source);
  sqlite::Database database{database_settings(config)};
  database.back_up_to(target);
  std::cout << "backed up " << source << " to " << target << " ("
            << std::filesystem::file_size(target) << " bytes)\n";
  return 0;
}

// Hosts librdkafka's mock cluster with every module's topic, for local runs
// of several processes; prints its brokers and runs until a signal.
int dev_kafka(const config::Config& config) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::vector<std::string> topics;
  for (const auto& module : publishing_modules) {
    topics.push_back(kafka::topic_of(config.kafka.topic_prefix, module));
  }
  kafka::DevCluster cluster(1, topics, 4);
  std::cerr << "A Kafka mock cluster in memory, for development only: production points "
               "kafka.brokers at a real Kafka or Redpanda cluster.\n";
  std::cout << "kafka.brokers=" << cluster.bootstraps() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}

// Rebuilds the dashboard's read models from the events it stored.
int replay(const config::Config& config) {
  Monolith app(config);
  if (!app.dashboard) throw std::runtime_error("replay runs where modules.run has dashboard");
  app.migrate();
  auto replayed = app.dashboard->replay([](std::int64_t done, std::int64_t total) {
    std::cerr << "\rreplayed " << done << " of " << total << " events" << std::flush;
  });
  std::cerr << '\n';
  std::cout << "read models rebuilt from " << replayed << " events\n";
  return 0;
}

int run(const cli::Arguments& arguments) {
  const auto& command = arguments.command;
  if (command == std::vector<std::string>{"version"}) {
    std::cout << "shopbox " << version << '\n';
    return 0;
  }
  if (command == std::vector<std::string>{"help"}) {
    std::cout << cli::usage();
    return 0;
  }
  config::Config config = config::load(
      {arguments.config_file, config::shopbox_environment(environ), arguments.overrides});
  crypto::initialise();
  bool serving = command.empty() || command == std::vector<std::string>{"serve"};
  if (arguments.take_over && !serving) throw std::invalid_argument("--take-over is for serve");
  if (serving) return serve(config, arguments.take_over);
  if (command == std::vector<std::string>{"migrate"}) {
    Monolith app(config);
    std::cout << "migrations applied: " << app.migrate() << '\n';
    return 0;
  }
  if (command == std::vector<std::string>{"user", "create"}) return create_user(config, arguments);
  if (command == std::vector<std::string>{"replay"}) return replay(config);
  if (command == std::vector<std::string>{"dev", "kafka"}) return dev_kafka(config);
  if (command.size() == 2 && command[0] == "backup") return backup(config, command[1]);
  if (command == std::vector<std::string>{"healthcheck"}) {
    std::string host = config.http.host == "0.0.0.0" ? "127.0.0.1" : config.http.host;
    return http::probe_live(host, static_cast<unsigned short>(config.http.port),
                            std::chrono::seconds(3))
               ? 0
               : 1;
  }
  std::cerr << cli::usage();
  return 2;
}

}  // namespace
}  // namespace shop

int main(int argc, char** argv) {
  try {
    return shop::run(shop::cli::parse(argc, argv));
  } catch (const shop::Failure& failure) {
    std::cerr << "shopbox: " << failure.what() << '\n';
    return 1;
  } catch (const std::invalid_argument& error) {
    std::cerr << "shopbox: " << error.what() << "\n\n" << shop::cli::usage();
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "shopbox: " << error.what() << '\n';
    return 1;
  }
}
