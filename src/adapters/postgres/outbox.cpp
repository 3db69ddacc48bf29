#include "adapters/postgres/outbox.hpp"

#include <fmt/format.h>

namespace shop::postgres {

Migration event_tables_migration(int version, const std::string& module) {
  return Migration{version, fmt::format(R"sql(
    CREATE TABLE {0}_outbox (
      sequence BIGSERIAL PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      source TEXT NOT NULL,
      subject TEXT NOT NULL,
      time BIGINT NOT NULL,
      data TEXT NOT NULL,
      published_at BIGINT
    );
    CREATE INDEX {0}_outbox_unpublished ON {0}_outbox (sequence) WHERE published_at IS NULL;
    CREATE TABLE {0}_inbox (
      consumer TEXT NOT NULL,
      event_id TEXT NOT NULL,
      handled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );
    CREATE TABLE {0}_parked (
      sequence BIGINT PRIMARY KEY,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      source TEXT NOT NULL,
      subject TEXT NOT NULL,
      time BIGINT NOT NULL,
      data TEXT NOT NULL,
      error TEXT NOT NULL,
      parked_at BIGINT NOT NULL
    );
  )sql", module)};
}

namespace {

OutboxRecord record_of(const Result& rows, int row) {
  return OutboxRecord{rows.integer(row, 0),
                      EventEnvelope{rows.text(row, 1), rows.text(row, 2), rows.text(row, 3),
                                    rows.text(row, 4), from_unix_millis(rows.integer(row, 5)),
                                    rows.text(row, 6)}};
}

}  // namespace

// Table names cannot be bound parameters; they come from the module name
// fixed at wiring time, never from input.
PostgresOutbox::PostgresOutbox(Database& database, const std::string& module)
    : database_(database),
      // The lock is taken before the row's sequence is drawn, in one
      // statement. Keyed by schema too: shops on one database do not queue.
      insert_sql_(fmt::format(
          "WITH turn AS ("
          "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.{0}_outbox'))) "
          "INSERT INTO {0}_outbox (event_id, type, source, subject, time, data) "
          "SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::text FROM turn",
          module)),
      select_unpublished_sql_(fmt::format(
          "SELECT sequence, event_id, type, source, subject, time, data FROM {}_outbox "
          "WHERE published_at IS NULL ORDER BY sequence LIMIT $1",
          module)),
      mark_published_sql_(fmt::format(
          "UPDATE {}_outbox SET published_at = (extract(epoch FROM now()) * 1000)::bigint "
          "WHERE published_at IS NULL AND sequence <= $1",
          module)),
      inbox_sql_(fmt::format(
          "INSERT INTO {}_inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          module)),
      park_sql_(fmt::format(
          "INSERT INTO {}_parked (sequence, event_id, type, source, subject, time, data, error, "
          "parked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
          module)),
      mark_one_published_sql_(fmt::format(
          "UPDATE {}_outbox SET published_at = $2 WHERE sequence = $1 AND published_at IS NULL",
          module)),
      select_parked_sql_(fmt::format(
          "SELECT sequence, event_id, type, source, subject, time, data, error, parked_at "
          "FROM {}_parked ORDER BY sequence LIMIT $1",
          module)),
      backlog_sql_(fmt::format(
          "SELECT count(*), min(time), (SELECT count(*) FROM {0}_parked) FROM {0}_outbox "
          "WHERE published_at IS NULL",
          module)) {}

void PostgresOutbox::append(Connection& connection, const EventEnvelope& event) {
  connection.defer(insert_sql_, {param(event.id), param(event.type), param(event.source),
                                 param(event.subject), param(unix_millis(event.time)),
                                 param(event.data)});
}

bool PostgresOutbox::first_delivery(Connection& connection, const std::string& consumer,
                                    const std::string& event_id) {
  return connection.exec(inbox_sql_, {param(consumer), param(event_id)}).affected() == 1;
}

std::vector<OutboxRecord> PostgresOutbox::unpublished(std::size_t limit) {
  std::vector<OutboxRecord> records;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_unpublished_sql_, {param(std::int64_t(limit))});
    for (int row = 0; row < rows.rows(); ++row) records.push_back(record_of(rows, row));
  });
  return records;
}

void PostgresOutbox::mark_published(std::int64_t sequence) {
  database_.write(
      [&](Connection& connection) { connection.exec(mark_published_sql_, {param(sequence)}); });
}

void PostgresOutbox::park(const OutboxRecord& record, const std::string& error, Timestamp now) {
  database_.write([&](Connection& connection) {
    const auto& event = record.event;
    connection.defer(park_sql_, {param(record.sequence), param(event.id), param(event.type),
                                 param(event.source), param(event.subject),
                                 param(unix_millis(event.time)), param(event.data), param(error),
                                 param(unix_millis(now))});
    connection.exec(mark_one_published_sql_, {param(record.sequence), param(unix_millis(now))});
  });
}

OutboxBacklog PostgresOutbox::backlog() {
  OutboxBacklog backlog;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(backlog_sql_);
    backlog.unpublished = rows.integer(0, 0);
    if (!rows.is_null(0, 1)) backlog.oldest_unpublished = from_unix_millis(rows.integer(0, 1));
    backlog.parked = rows.integer(0, 2);
  });
  return backlog;
}

std::vector<ParkedEvent> PostgresOutbox::parked(std::size_t limit) {
  std::vector<ParkedEvent> events;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_parked_sql_, {param(std::int64_t(limit))});
    for (int row = 0; row < rows.rows(); ++row) {
      events.push_back(ParkedEvent{record_of(rows, row), rows.text(row, 7),
                                   from_unix_millis(rows.integer(row, 8))});
    }
  });
  return events;
}

}  // namespace shop::postgres
