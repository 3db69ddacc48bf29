#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace shop::config {

// Every setting of shopbox, with its default. config/shopbox.example.toml
// documents each one; a test keeps the two in step.
struct Config {
  struct Http {
    std::string host = "0.0.0.0";
    std::int64_t port = 8080;
    std::int64_t threads = 0;  // 0: one per core this process may run on
    std::int64_t workers = 64;
    std::int64_t max_queued_requests = 256;
    std::int64_t max_connections = 1024;
    std::int64_t body_limit_bytes = 1 << 20;
    std::int64_t header_limit_bytes = 16 * 1024;
    std::int64_t idle_timeout_seconds = 30;
    std::int64_t drain_timeout_seconds = 10;
    std::int64_t shutdown_grace_seconds = 0;
    std::string handover_socket;  // empty: the database path + ".handover"
  } http;
  struct Database {
    std::string kind = "sqlite";  // or "postgres"
    std::string path = "data/shopbox.db";
    std::string synchronous = "full";
    std::int64_t busy_timeout_ms = 10000;
    std::string url;  // PostgreSQL: a libpq connection string
    std::int64_t pool_size = 8;
    std::int64_t pool_timeout_ms = 5000;
    std::int64_t lock_timeout_ms = 5000;
    std::int64_t idle_in_transaction_timeout_ms = 30000;
    std::int64_t lease_ttl_ms = 15000;  // the background lease
  } database;
  struct Shop {
    std::string currency = "KRW";
    // The shop's time zone as an offset from UTC: "Z", "+09:00", "-05:30".
    std::string utc_offset = "Z";
  } shop;
  struct Identity {
    std::int64_t token_ttl_hours = 12;
    std::int64_t login_attempts_per_minute = 10;
    std::int64_t registrations_per_minute = 10;
    std::string password_hash_strength = "interactive";
    std::int64_t password_hash_concurrency = 2;
    std::string bootstrap_staff_email;
    std::string bootstrap_staff_password;
  } identity;
  struct Stock {
    std::int64_t low_stock_threshold = 5;
    std::int64_t reservation_ttl_seconds = 900;
    std::int64_t sweep_interval_seconds = 30;
  } stock;
  struct Order {
    std::string when_payment_unavailable = "reject";
    std::int64_t payment_retry_backoff_seconds = 5;
    std::int64_t payment_pending_ttl_seconds = 600;
    std::int64_t idempotency_ttl_hours = 24;
    std::int64_t recovery_interval_seconds = 5;
  } order;
  struct Payment {
    std::string gateway = "sandbox";
    std::int64_t sandbox_slow_delay_ms = 3000;
    std::string http_url;
    std::string http_api_key;
    std::int64_t http_timeout_ms = 5000;
    std::int64_t breaker_failure_threshold = 5;
    std::int64_t breaker_window_seconds = 30;
    std::int64_t breaker_slow_call_ms = 2000;
    std::int64_t breaker_open_seconds = 15;
    std::int64_t refund_max_attempts = 8;
    std::int64_t refund_backoff_seconds = 5;
  } payment;
  struct Events {
    std::int64_t max_delivery_attempts = 10;
    std::string bus = "inprocess";
  } events;
  struct Kafka {
    std::string brokers;
    std::string client_id = "shopbox";
    std::string topic_prefix = "shopbox";
    std::string security_protocol = "plaintext";
    std::string sasl_mechanism;
    std::string sasl_username;
    std::string sasl_password;
    std::string ssl_ca_location;
    std::int64_t delivery_timeout_ms = 10000;
    std::int64_t session_timeout_ms = 45000;
  } kafka;
  struct Webhooks {
    struct Subscriber {
      std::string url;                  // http:// or https://, each listed once
      std::string secret;               // not empty
      std::vector<std::string> events;  // event types; empty or "*": every event
    };
    // [[webhooks.subscribers]] tables, in the file only (not settable by
    // environment or flag), so not among setting_names().
    std::vector<Subscriber> subscribers;
    std::int64_t max_attempts = 8;
    std::int64_t initial_backoff_ms = 1000;
    std::int64_t max_backoff_ms = 300000;
    std::int64_t timeout_ms = 5000;
  } webhooks;
  // Which modules this process runs, and where the others run (a split
  // deployment; README "Scaling out").
  struct Modules {
    std::string run = "all";  // or a list: "catalog,stock"
    std::string service_token;
    std::string identity_url;
    std::string catalog_url;
    std::string stock_url;
    std::string order_url;
    std::string payment_url;
    std::int64_t call_timeout_ms = 2000;
    std::int64_t payment_call_timeout_ms = 30000;
    std::int64_t token_cache_seconds = 10;
  } modules;
  struct Log {
    std::string level = "info";
  } log;
};

// Where settings come from, lowest precedence first: defaults, the TOML file
// (`--config FILE`, else config/shopbox.toml when present), environment
// variables SHOPBOX_<SECTION>_<KEY>, then `--set section.key=value` flags.
struct Sources {
  std::string config_file;  // empty: config/shopbox.toml if it exists
  std::map<std::string, std::string> environment;  // SHOPBOX_* only
  std::vector<std::string> overrides;  // "section.key=value"
};

// Throws std::runtime_error naming the source and key of the first unknown
// key, mistyped value or value out of range.
Config load(const Sources& sources);

// "Z" -> 0, "+09:00" -> 540 min, "-05:30" -> -330 min. Throws
// std::invalid_argument unless the text has that shape and lies within ±14:00.
std::chrono::minutes parse_utc_offset(const std::string& text);

// The environment variables that look like settings (SHOPBOX_*).
std::map<std::string, std::string> shopbox_environment(char** environ);

// Every module, in the order a process builds them.
const std::vector<std::string>& module_names();

// The modules `modules.run` names, in module_names() order; every module
// for "all". Throws std::invalid_argument for an unknown or repeated name.
std::vector<std::string> modules_to_run(const std::string& run);

// "section.key" of every setting, for the test that checks the example file.
std::vector<std::string> setting_names();

}  // namespace shop::config
