#include "adapters/config/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <toml++/toml.h>

#include "adapters/config/webhook_subscribers.hpp"

namespace shop::config {

namespace {

// One setting: where it lives and how text or TOML becomes its value.
struct Setting {
  std::string section;
  std::string key;
  std::function<void(const std::string&)> from_text;
  std::function<void(const toml::node&)> from_toml;
  std::function<std::string()> check;  // empty when the value is acceptable
};

std::int64_t parse_integer(const std::string& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument("expected an integer, got \"" + text + "\"");
  }
  return value;
}

Setting integer(const char* section, const char* key, std::int64_t& field, std::int64_t min,
                std::int64_t max) {
  return Setting{
      section, key, [&field](const std::string& text) { field = parse_integer(text); },
      [&field](const toml::node& node) {
        auto value = node.value<std::int64_t>();
        if (!node.is_integer() || !value) throw std::invalid_argument("expected an integer");
        field = *value;
      },
      [&field, min, max]() -> std::string {
        if (field >= min && field <= max) return {};
        return fmt::format("must be between {} and {}", min, max);
      }};
}

Setting text(const char* section, const char* key, std::string& field,
             std::vector<std::string> allowed = {}) {
  return Setting{section, key, [&field](const std::string& value) { field = value; },
                 [&field](const toml::node& node) {
                   if (!node.is_string()) throw std::invalid_argument("expected a string");
                   field = *node.value<std::string>();
                 },
                 [&field, allowed]() -> std::string {
                   if (allowed.empty() ||
                       std::find(allowed.begin(), allowed.end(), field) != allowed.end()) {
                     return {};
                   }
                   return fmt::format("must be one of: {}", fmt::join(allowed, ", "));
                 }};
}

Setting currency(const char* section, const char* key, std::string& field) {
  Setting setting = text(section, key, field);
  setting.check = [&field]() -> std::string {
    bool code = field.size() == 3 && std::all_of(field.begin(), field.end(), [](char ch) {
      return ch >= 'A' && ch <= 'Z';
    });
    return code ? "" : "must be a three-letter ISO 4217 code such as KRW";
  };
  return setting;
}

Setting utc_offset(const char* section, const char* key, std::string& field) {
  Setting setting = text(section, key, field);
  setting.check = [&field]() -> std::string {
    try {
      parse_utc_offset(field);
      return {};
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
  };
  return setting;
}

std::vector<Setting> settings_of(Config& c) {
  return {
      text("http", "host", c.http.host),
      integer("http", "port", c.http.port, 0, 65535),
      integer("http", "threads", c.http.threads, 0, 64),
      integer("http", "workers", c.http.workers, 1, 1024),
      integer("http", "max_queued_requests", c.http.max_queued_requests, 0, 1'000'000),
      integer("http", "max_connections", c.http.max_connections, 1, 1'000'000),
      integer("http", "body_limit_bytes", c.http.body_limit_bytes, 1024, 64 << 20),
      integer("http", "header_limit_bytes", c.http.header_limit_bytes, 1024, 1 << 20),
      integer("http", "idle_timeout_seconds", c.http.idle_timeout_seconds, 1, 3600),
      integer("http", "drain_timeout_seconds", c.http.drain_timeout_seconds, 0, 3600),
      integer("http", "shutdown_grace_seconds", c.http.shutdown_grace_seconds, 0, 600),
      text("http", "handover_socket", c.http.handover_socket),
      text("database", "kind", c.database.kind, {"sqlite", "postgres"}),
      text("database", "path", c.database.path),
      text("database", "synchronous", c.database.synchronous, {"full", "normal"}),
      integer("database", "busy_timeout_ms", c.database.busy_timeout_ms, 0, 600000),
      text("database", "url", c.database.url),
      integer("database", "pool_size", c.database.pool_size, 1, 1000),
      integer("database", "pool_timeout_ms", c.database.pool_timeout_ms, 1, 600000),
      integer("database", "lock_timeout_ms", c.database.lock_timeout_ms, 1, 600000),
      integer("database", "idle_in_transaction_timeout_ms",
              c.database.idle_in_transaction_timeout_ms, 1000, 86'400'000),
      integer("database", "lease_ttl_ms", c.database.lease_ttl_ms, 1000, 600000),
      currency("shop", "currency", c.shop.currency),
      utc_offset("shop", "utc_offset", c.shop.utc_offset),
      integer("identity", "token_ttl_hours", c.identity.token_ttl_hours, 1, 24 * 365),
      integer("identity", "login_attempts_per_minute", c.identity.login_attempts_per_minute, 1,
              100000),
      integer("identity", "registrations_per_minute", c.identity.registrations_per_minute, 1,
              100000),
      text("identity", "password_hash_strength", c.identity.password_hash_strength,
           {"interactive", "moderate", "sensitive", "minimum"}),
      integer("identity", "password_hash_concurrency", c.identity.password_hash_concurrency, 1,
              64),
      text("identity", "bootstrap_staff_email", c.identity.bootstrap_staff_email),
      text("identity", "bootstrap_staff_password", c.identity.bootstrap_staff_password),
      integer("stock", "low_stock_threshold", c.stock.low_stock_threshold, 0, 1'000'000'000),
      integer("stock", "reservation_ttl_seconds", c.stock.reservation_ttl_seconds, 10,
              30 * 24 * 3600),
      integer("stock", "sweep_interval_seconds", c.stock.sweep_interval_seconds, 1, 3600),
      text("order", "when_payment_unavailable", c.order.when_payment_unavailable,
           {"reject", "defer"}),
      integer("order", "payment_retry_backoff_seconds", c.order.payment_retry_backoff_seconds, 1,
              3600),
      integer("order", "payment_pending_ttl_seconds", c.order.payment_pending_ttl_seconds, 10,
              7 * 24 * 3600),
      integer("order", "idempotency_ttl_hours", c.order.idempotency_ttl_hours, 1, 24 * 30),
      integer("order", "recovery_interval_seconds", c.order.recovery_interval_seconds, 1, 3600),
      text("payment", "gateway", c.payment.gateway, {"sandbox", "http"}),
      integer("payment", "sandbox_slow_delay_ms", c.payment.sandbox_slow_delay_ms, 0, 600000),
      text("payment", "http_url", c.payment.http_url),
      text("payment", "http_api_key", c.payment.http_api_key),
      integer("payment", "http_timeout_ms", c.payment.http_timeout_ms, 1, 600000),
      integer("payment", "breaker_failure_threshold", c.payment.breaker_failure_threshold, 1,
              1000),
      integer("payment", "breaker_window_seconds", c.payment.breaker_window_seconds, 1, 3600),
      integer("payment", "breaker_slow_call_ms", c.payment.breaker_slow_call_ms, 1, 600000),
      integer("payment", "breaker_open_seconds", c.payment.breaker_open_seconds, 1, 3600),
      integer("payment", "refund_max_attempts", c.payment.refund_max_attempts, 1, 100),
      integer("payment", "refund_backoff_seconds", c.payment.refund_backoff_seconds, 1, 3600),
      integer("events", "max_delivery_attempts", c.events.max_delivery_attempts, 1, 1000),
      text("events", "bus", c.events.bus, {"inprocess", "kafka"}),
      text("kafka", "brokers", c.kafka.brokers),
      text("kafka", "client_id", c.kafka.client_id),
      text("kafka", "topic_prefix", c.kafka.topic_prefix),
      text("kafka", "security_protocol", c.kafka.security_protocol,
           {"plaintext", "ssl", "sasl_plaintext", "sasl_ssl"}),
      text("kafka", "sasl_mechanism", c.kafka.sasl_mechanism,
           {"", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}),
      text("kafka", "sasl_username", c.kafka.sasl_username),
      text("kafka", "sasl_password", c.kafka.sasl_password),
      text("kafka", "ssl_ca_location", c.kafka.ssl_ca_location),
      integer("kafka", "delivery_timeout_ms", c.kafka.delivery_timeout_ms, 100, 600000),
      integer("kafka", "session_timeout_ms", c.kafka.session_timeout_ms, 1000, 300000),
      integer("webhooks", "max_attempts", c.webhooks.max_attempts, 1, 100),
      integer("webhooks", "initial_backoff_ms", c.webhooks.initial_backoff_ms, 1, 3'600'000),
      integer("webhooks", "max_backoff_ms", c.webhooks.max_backoff_ms, 1, 86'400'000),
      integer("webhooks", "timeout_ms", c.webhooks.timeout_ms, 1, 30000),
      text("modules", "run", c.modules.run),
      text("modules", "service_token", c.modules.service_token),
      text("modules", "identity_url", c.modules.identity_url),
      text("modules", "catalog_url", c.modules.catalog_url),
      text("modules", "stock_url", c.modules.stock_url),
      text("modules", "order_url", c.modules.order_url),
      text("modules", "payment_url", c.modules.payment_url),
      integer("modules", "call_timeout_ms", c.modules.call_timeout_ms, 1, 60000),
      integer("modules", "payment_call_timeout_ms", c.modules.payment_call_timeout_ms, 1, 600000),
      integer("modules", "token_cache_seconds", c.modules.token_cache_seconds, 0, 3600),
      text("log", "level", c.log.level, {"debug", "info", "warn", "error"}),
  };
}

Setting* find_setting(std::vector<Setting>& settings, std::string_view section,
                      std::string_view key) {
  for (auto& setting : settings) {
    if (setting.section == section && setting.key == key) return &setting;
  }
  return nullptr;
}

std::string env_name(const Setting& setting) {
  std::string name = "SHOPBOX_" + setting.section + "_" + setting.key;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) {
    return char(std::toupper(ch));
  });
  return name;
}

template <class Apply>
void apply_from(const std::string& origin, Apply&& apply_value) {
  try {
    apply_value();
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(fmt::format("{}: {}", origin, error.what()));
  }
}

void apply_file(std::vector<Setting>& settings, Config& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    throw std::runtime_error(fmt::format("{}: {}", path, error.description()));
  }
  for (auto& [section_key, section_node] : table) {
    std::string section(section_key.str());
    const auto* section_table = section_node.as_table();
    if (!section_table) throw std::runtime_error(fmt::format("{}: [{}] must be a table", path, section));
    for (auto& [key, node] : *section_table) {
      if (section == "webhooks" && key.str() == "subscribers") {
        config.webhooks.subscribers = read_webhook_subscribers(node, path);
        continue;
      }
      Setting* setting = find_setting(settings, section, key.str());
      std::string origin = fmt::format("{}: {}.{}", path, section, key.str());
      if (!setting) throw std::runtime_error(origin + ": unknown setting");
      // A copy of the binding: clang 14 (the fuzz build) cannot capture one.
      const toml::node& value = node;
      apply_from(origin, [&] { setting->from_toml(value); });
    }
  }
}

void apply_override(std::vector<Setting>& settings, const std::string& override) {
  auto equals = override.find('=');
  auto dot = override.find('.');
  if (equals == std::string::npos || dot == std::string::npos || dot > equals) {
    throw std::runtime_error("--set " + override + ": expected section.key=value");
  }
  std::string section = override.substr(0, dot);
  std::string key = override.substr(dot + 1, equals - dot - 1);
  Setting* setting = find_setting(settings, section, key);
  std::string origin = "--set " + section + "." + key;
  if (!setting) throw std::runtime_error(origin + ": unknown setting");
  apply_from(origin, [&] { setting->from_text(override.substr(equals + 1)); });
}

// A process running some modules calls the others at their owners' URLs
// and hears their events over Kafka.
void check_split(const Config& config) {
  std::vector<std::string> run;
  try {
    run = modules_to_run(config.modules.run);
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(fmt::format("modules.run: {}", error.what()));
  }
  if (run.size() == module_names().size()) return;
  auto runs = [&run](const char* module) {
    return std::find(run.begin(), run.end(), module) != run.end();
  };
  if (config.events.bus != "kafka") {
    throw std::runtime_error("modules.run names some modules: events.bus must be \"kafka\"");
  }
  const auto& token = config.modules.service_token;
  if (token.size() < 16 || std::any_of(token.begin(), token.end(), [](unsigned char c) {
        return std::iscntrl(c);
      })) {
    throw std::runtime_error(
        "modules.run names some modules: modules.service_token must have at least 16 characters "
        "and no control characters");
  }
  if (!runs("dashboard") && !config.webhooks.subscribers.empty()) {
    throw std::runtime_error("webhooks.subscribers go out from the process that runs dashboard; "
                             "this one does not");
  }
  // Who calls whom synchronously: every route checks sessions with identity.
  const std::vector<std::pair<const char*, std::vector<const char*>>> callers{
      {"identity", {"catalog", "stock", "payment", "order", "delivery", "dashboard"}},
      {"catalog", {"stock", "order"}},
      {"stock", {"order"}},
      {"payment", {"order"}},
      {"order", {"delivery"}}};
  const std::map<std::string, const std::string*> urls{
      {"identity", &config.modules.identity_url}, {"catalog", &config.modules.catalog_url},
      {"stock", &config.modules.stock_url},       {"payment", &config.modules.payment_url},
      {"order", &config.modules.order_url}};
  for (const auto& [callee, modules] : callers) {
    if (runs(callee) || !urls.at(callee)->empty()) continue;
    for (const char* caller : modules) {
      if (runs(caller)) {
        throw std::runtime_error(fmt::format("modules.{}_url must be set: {} runs here and calls {}",
                                             callee, caller, callee));
      }
    }
  }
}

}  // namespace

Config load(const Sources& sources) {
  Config config;
  auto settings = settings_of(config);

  std::string file = sources.config_file;
  if (file.empty() && std::filesystem::exists("config/shopbox.toml")) file = "config/shopbox.toml";
  if (!file.empty()) {
    if (!std::filesystem::exists(file)) throw std::runtime_error(file + ": no such config file");
    apply_file(settings, config, file);
  }
  // Not structured bindings: clang 14 (the fuzz build) cannot capture them.
  for (const auto& variable : sources.environment) {
    const std::string& name = variable.first;
    const std::string& value = variable.second;
    auto setting = std::find_if(settings.begin(), settings.end(),
                                [&](const Setting& s) { return env_name(s) == name; });
    if (setting == settings.end()) throw std::runtime_error(name + ": unknown setting");
    apply_from(name, [&] { setting->from_text(value); });
  }
  for (const auto& override : sources.overrides) apply_override(settings, override);

  for (auto& setting : settings) {
    if (auto problem = setting.check(); !problem.empty()) {
      throw std::runtime_error(fmt::format("{}.{} {}", setting.section, setting.key, problem));
    }
  }
  // SPEC 2: a reservation must outlive the longest a deferred payment may
  // stay pending, or an approval would find its units gone.
  // The last try may come a recovery pass late and wait for the gateway.
  std::int64_t longest_pending = config.order.payment_pending_ttl_seconds +
                                 config.order.recovery_interval_seconds + 60;
  if (config.stock.reservation_ttl_seconds <= longest_pending) {
    throw std::runtime_error(fmt::format(
        "stock.reservation_ttl_seconds ({}) must be longer than order.payment_pending_ttl_seconds "
        "+ order.recovery_interval_seconds + 60 s ({})",
        config.stock.reservation_ttl_seconds, longest_pending));
  }
  // The URL's syntax is checked where it is parsed, when the gateway is built.
  if (config.payment.gateway == "http" && config.payment.http_url.empty()) {
    throw std::runtime_error("payment.http_url must be set when payment.gateway is \"http\"");
  }
  if (config.webhooks.max_backoff_ms < config.webhooks.initial_backoff_ms) {
    throw std::runtime_error(fmt::format(
        "webhooks.max_backoff_ms ({}) must not be below webhooks.initial_backoff_ms ({})",
        config.webhooks.max_backoff_ms, config.webhooks.initial_backoff_ms));
  }
  if (config.database.kind == "postgres" && config.database.url.empty()) {
    throw std::runtime_error("database.url must be set when database.kind is \"postgres\"");
  }
  check_split(config);
  return config;
}

const std::vector<std::string>& module_names() {
  static const std::vector<std::string> names{"identity", "catalog",  "stock",    "payment",
                                              "order",    "delivery", "dashboard"};
  return names;
}

std::vector<std::string> modules_to_run(const std::string& run) {
  const auto& known = module_names();
  if (run == "all") return known;
  std::set<std::string> named;
  for (std::size_t start = 0; start <= run.size();) {
    auto end = std::min(run.find(',', start), run.size());
    std::string name = run.substr(start, end - start);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw std::invalid_argument(fmt::format("unknown module \"{}\" (known: {}, or all)", name,
                                              fmt::join(known, ", ")));
    }
    if (!named.insert(name).second) {
      throw std::invalid_argument(fmt::format("module \"{}\" named twice", name));
    }
    start = end + 1;
  }
  std::vector<std::string> ordered;
  for (const auto& name : known) {
    if (named.contains(name)) ordered.push_back(name);
  }
  return ordered;
}

std::map<std::string, std::string> shopbox_environment(char** environ) {
  std::map<std::string, std::string> found;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals == std::string_view::npos || !text.starts_with("SHOPBOX_")) continue;
    found.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return found;
}

std::vector<std::string> setting_names() {
  Config config;
  std::vector<std::string> names;
  for (const auto& setting : settings_of(config)) names.push_back(setting.section + "." + setting.key);
  return names;
}

std::chrono::minutes parse_utc_offset(const std::string& text) {
  if (text == "Z") return std::chrono::minutes(0);
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  bool shaped = text.size() == 6 && (text[0] == '+' || text[0] == '-') && digit(1) && digit(2) &&
                text[3] == ':' && digit(4) && digit(5);
  if (!shaped) {
    throw std::invalid_argument("must be \"Z\" or an offset such as \"+09:00\" or \"-05:30\"");
  }
  int hours = (text[1] - '0') * 10 + (text[2] - '0');
  int minutes = (text[4] - '0') * 10 + (text[5] - '0');
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) {
    throw std::invalid_argument("must lie between -14:00 and +14:00");
  }
  std::chrono::minutes offset(hours * 60 + minutes);
  return text[0] == '-' ? -offset : offset;
}

}  // namespace shop::config
