#include "adapters/postgres/webhook/postgres_webhook_store.hpp"

#include <stdexcept>

namespace shop::postgres {

namespace {

using webhook::DeliveryStatus;
using webhook::WebhookDelivery;

// One row per event and subscriber: the UNIQUE key is what makes a
// redelivered event queue nothing twice. The event is kept whole, so that a
// delivery does not depend on another module's tables. The two indexes
// serve the sender's due list and staff's dead letters.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    subscriber_url TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_source TEXT NOT NULL,
    event_subject TEXT NOT NULL,
    event_time BIGINT NOT NULL,
    event_data TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_id, subscriber_url)
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, id);
)sql";

#define WEBHOOK_COLUMNS                                                                  \
  "id, subscriber_url, event_id, event_type, event_source, event_subject, event_time, " \
  "event_data, status, attempts, next_attempt_at, last_error, created_at, updated_at"

constexpr const char* insert_delivery =
    "INSERT INTO webhook_deliveries (" WEBHOOK_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
    "ON CONFLICT (event_id, subscriber_url) DO NOTHING";
constexpr const char* update_delivery =
    "UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, "
    "last_error = $4, updated_at = $5 WHERE id = $6";
constexpr const char* select_by_id =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries WHERE id = $1";
// Ties by id, as SQLite's index (which holds the key) returns them.
constexpr const char* select_due =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries "
    "WHERE status = 'PENDING' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2";
constexpr const char* select_dead =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries "
    "WHERE status = 'DEAD' ORDER BY id DESC LIMIT $1";
constexpr const char* select_dead_before =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries "
    "WHERE status = 'DEAD' AND id < $1 ORDER BY id DESC LIMIT $2";

#undef WEBHOOK_COLUMNS

WebhookDelivery read_delivery(const Result& rows, int row) {
  auto text = [&](int column) { return rows.text(row, column); };
  auto time = [&](int column) { return from_unix_millis(rows.integer(row, column)); };
  auto status = webhook::delivery_status_from_string(text(8));
  if (!status) throw std::runtime_error("unknown webhook status: " + text(8));
  return WebhookDelivery{text(0),
                         text(1),
                         EventEnvelope{text(2), text(3), text(4), text(5), time(6), text(7)},
                         *status,
                         int(rows.integer(row, 9)),
                         time(10),
                         text(11),
                         time(12),
                         time(13)};
}

std::vector<WebhookDelivery> read_all(const Result& rows) {
  std::vector<WebhookDelivery> found;
  for (int row = 0; row < rows.rows(); ++row) found.push_back(read_delivery(rows, row));
  return found;
}

std::optional<WebhookDelivery> find_in(Connection& connection, const std::string& id) {
  auto rows = connection.exec(select_by_id, {param(id)});
  if (rows.empty()) return std::nullopt;
  return read_delivery(rows, 0);
}

class Transaction final : public webhook::WebhookTransaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}

  bool enqueue(const WebhookDelivery& d) override {
    auto inserted = connection_.exec(
        insert_delivery,
        {param(d.id), param(d.subscriber_url), param(d.event.id), param(d.event.type),
         param(d.event.source), param(d.event.subject), param(unix_millis(d.event.time)),
         param(d.event.data), param(webhook::to_string(d.status)), param(d.attempts),
         param(unix_millis(d.next_attempt_at)), param(d.last_error),
         param(unix_millis(d.created_at)), param(unix_millis(d.updated_at))});
    return inserted.affected() > 0;
  }

  std::optional<WebhookDelivery> find(const std::string& delivery_id) override {
    return find_in(connection_, delivery_id);
  }

  void save(const WebhookDelivery& d) override {
    auto updated = connection_.exec(
        update_delivery, {param(webhook::to_string(d.status)), param(d.attempts),
                          param(unix_millis(d.next_attempt_at)), param(d.last_error),
                          param(unix_millis(d.updated_at)), param(d.id)});
    if (updated.affected() == 0) throw std::logic_error("no webhook delivery with id " + d.id);
  }

 private:
  Connection& connection_;
};

}  // namespace

ModuleSchema webhook_schema() { return ModuleSchema{"webhook", {{1, schema_v1}}}; }

void PostgresWebhookStore::write(const std::function<void(webhook::WebhookTransaction&)>& work) {
  database_.write([&](Connection& connection) {
    Transaction transaction(connection);
    work(transaction);
  });
}

std::optional<WebhookDelivery> PostgresWebhookStore::find(const std::string& delivery_id) {
  std::optional<WebhookDelivery> found;
  database_.read([&](Connection& connection) { found = find_in(connection, delivery_id); });
  return found;
}

std::vector<WebhookDelivery> PostgresWebhookStore::due(Timestamp now, std::size_t limit) {
  std::vector<WebhookDelivery> found;
  database_.read([&](Connection& connection) {
    found = read_all(
        connection.exec(select_due, {param(unix_millis(now)), param(std::int64_t(limit))}));
  });
  return found;
}

std::vector<WebhookDelivery> PostgresWebhookStore::dead(const std::string& before_id,
                                                        std::size_t limit) {
  std::vector<WebhookDelivery> found;
  database_.read([&](Connection& connection) {
    found = read_all(before_id.empty()
                         ? connection.exec(select_dead, {param(std::int64_t(limit))})
                         : connection.exec(select_dead_before,
                                           {param(before_id), param(std::int64_t(limit))}));
  });
  return found;
}

}  // namespace shop::postgres
