#include "adapters/sqlite/webhook/sqlite_webhook_store.hpp"

#include <stdexcept>

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

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
    event_time INTEGER NOT NULL,
    event_data TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (event_id, subscriber_url)
  ) WITHOUT ROWID;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, id);
)sql";

#define WEBHOOK_COLUMNS                                                                  \
  "id, subscriber_url, event_id, event_type, event_source, event_subject, event_time, " \
  "event_data, status, attempts, next_attempt_at, last_error, created_at, updated_at"

constexpr const char* insert_delivery =
    "INSERT INTO webhook_deliveries (" WEBHOOK_COLUMNS
    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (event_id, subscriber_url) DO NOTHING";
constexpr const char* update_delivery =
    "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, "
    "last_error = ?, updated_at = ? WHERE id = ?";
constexpr const char* select_by_id =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries WHERE id = ?";
constexpr const char* select_due =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries "
    "WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?";
constexpr const char* select_dead =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries "
    "WHERE status = 'DEAD' ORDER BY id DESC LIMIT ?";
constexpr const char* select_dead_before =
    "SELECT " WEBHOOK_COLUMNS " FROM webhook_deliveries "
    "WHERE status = 'DEAD' AND id < ? ORDER BY id DESC LIMIT ?";

#undef WEBHOOK_COLUMNS

WebhookDelivery read_delivery(SQLite::Statement& row) {
  auto status = webhook::delivery_status_from_string(row.getColumn(8).getString());
  if (!status) throw std::runtime_error("unknown webhook status: " + row.getColumn(8).getString());
  return WebhookDelivery{row.getColumn(0).getString(),
                         row.getColumn(1).getString(),
                         EventEnvelope{row.getColumn(2).getString(), row.getColumn(3).getString(),
                                       row.getColumn(4).getString(), row.getColumn(5).getString(),
                                       from_millis(row.getColumn(6).getInt64()),
                                       row.getColumn(7).getString()},
                         *status,
                         row.getColumn(9).getInt(),
                         from_millis(row.getColumn(10).getInt64()),
                         row.getColumn(11).getString(),
                         from_millis(row.getColumn(12).getInt64()),
                         from_millis(row.getColumn(13).getInt64())};
}

std::optional<WebhookDelivery> find_in(Connection& connection, const std::string& id) {
  auto statement = connection.prepare(select_by_id);
  statement->bind(1, id);
  if (!statement->executeStep()) return std::nullopt;
  return read_delivery(*statement);
}

std::vector<WebhookDelivery> read_all(Statement& statement) {
  std::vector<WebhookDelivery> found;
  while (statement->executeStep()) found.push_back(read_delivery(*statement));
  return found;
}

class Transaction final : public webhook::WebhookTransaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}

  bool enqueue(const WebhookDelivery& d) override {
    auto statement = connection_.prepare(insert_delivery);
    statement->bind(1, d.id);
    statement->bind(2, d.subscriber_url);
    statement->bind(3, d.event.id);
    statement->bind(4, d.event.type);
    statement->bind(5, d.event.source);
    statement->bind(6, d.event.subject);
    statement->bind(7, to_millis(d.event.time));
    statement->bind(8, d.event.data);
    statement->bind(9, webhook::to_string(d.status));
    statement->bind(10, d.attempts);
    statement->bind(11, to_millis(d.next_attempt_at));
    statement->bind(12, d.last_error);
    statement->bind(13, to_millis(d.created_at));
    statement->bind(14, to_millis(d.updated_at));
    return statement->exec() > 0;
  }

  std::optional<WebhookDelivery> find(const std::string& delivery_id) override {
    return find_in(connection_, delivery_id);
  }

  void save(const WebhookDelivery& d) override {
    auto statement = connection_.prepare(update_delivery);
    statement->bind(1, webhook::to_string(d.status));
    statement->bind(2, d.attempts);
    statement->bind(3, to_millis(d.next_attempt_at));
    statement->bind(4, d.last_error);
    statement->bind(5, to_millis(d.updated_at));
    statement->bind(6, d.id);
    if (statement->exec() == 0) throw std::logic_error("no webhook delivery with id " + d.id);
  }

 private:
  Connection& connection_;
};

}  // namespace

ModuleSchema webhook_schema() { return ModuleSchema{"webhook", {{1, schema_v1}}}; }

void SqliteWebhookStore::write(const std::function<void(webhook::WebhookTransaction&)>& work) {
  database_.write([&](Connection& connection) {
    Transaction transaction(connection);
    work(transaction);
  });
}

std::optional<WebhookDelivery> SqliteWebhookStore::find(const std::string& delivery_id) {
  return find_in(database_.reader(), delivery_id);
}

std::vector<WebhookDelivery> SqliteWebhookStore::due(Timestamp now, std::size_t limit) {
  auto statement = database_.reader().prepare(select_due);
  statement->bind(1, to_millis(now));
  statement->bind(2, static_cast<std::int64_t>(limit));
  return read_all(statement);
}

std::vector<WebhookDelivery> SqliteWebhookStore::dead(const std::string& before_id,
                                                      std::size_t limit) {
  auto statement = database_.reader().prepare(before_id.empty() ? select_dead : select_dead_before);
  int index = 0;
  if (!before_id.empty()) statement->bind(++index, before_id);
  statement->bind(++index, static_cast<std::int64_t>(limit));
  return read_all(statement);
}

}  // namespace shop::sqlite
