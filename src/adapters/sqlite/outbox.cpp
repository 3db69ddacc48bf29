#include "adapters/sqlite/outbox.hpp"

#include <fmt/format.h>

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

Migration event_tables_migration(int version, const std::string& module) {
  return Migration{version, fmt::format(R"sql(
    CREATE TABLE {0}_outbox (
      sequence INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      source TEXT NOT NULL,
      subject TEXT NOT NULL,
      time INTEGER NOT NULL,
      data TEXT NOT NULL,
      published_at INTEGER
    );
    CREATE INDEX {0}_outbox_unpublished ON {0}_outbox (sequence) WHERE published_at IS NULL;
    CREATE TABLE {0}_inbox (
      consumer TEXT NOT NULL,
      event_id TEXT NOT NULL,
      handled_at INTEGER NOT NULL DEFAULT (unixepoch() * 1000),
      PRIMARY KEY (consumer, event_id)
    ) WITHOUT ROWID;
  )sql", module)};
}

Migration parked_events_migration(int version, const std::string& module) {
  return Migration{version, fmt::format(R"sql(
    CREATE TABLE {0}_parked (
      sequence INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      source TEXT NOT NULL,
      subject TEXT NOT NULL,
      time INTEGER NOT NULL,
      data TEXT NOT NULL,
      error TEXT NOT NULL,
      parked_at INTEGER NOT NULL
    );
  )sql", module)};
}

// Table names cannot be bound parameters; they come from the module name
// fixed at wiring time, never from input.
SqliteOutbox::SqliteOutbox(Database& database, const std::string& module)
    : database_(database),
      insert_sql_(fmt::format("INSERT INTO {}_outbox (event_id, type, source, subject, time, data) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              module)),
      select_unpublished_sql_(fmt::format(
          "SELECT sequence, event_id, type, source, subject, time, data FROM {}_outbox "
          "WHERE published_at IS NULL ORDER BY sequence LIMIT ?",
          module)),
      mark_published_sql_(fmt::format(
          "UPDATE {}_outbox SET published_at = unixepoch() * 1000 "
          "WHERE published_at IS NULL AND sequence <= ?",
          module)),
      inbox_sql_(fmt::format(
          "INSERT INTO {}_inbox (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
          module)),
      park_sql_(fmt::format(
          "INSERT INTO {}_parked (sequence, event_id, type, source, subject, time, data, error, "
          "parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
          module)),
      mark_one_published_sql_(fmt::format(
          "UPDATE {}_outbox SET published_at = ?2 WHERE sequence = ?1 AND published_at IS NULL",
          module)),
      select_parked_sql_(fmt::format(
          "SELECT sequence, event_id, type, source, subject, time, data, error, parked_at "
          "FROM {}_parked ORDER BY sequence LIMIT ?",
          module)),
      backlog_sql_(fmt::format(
          "SELECT count(*), min(time), (SELECT count(*) FROM {0}_parked) FROM {0}_outbox "
          "WHERE published_at IS NULL",
          module)) {}

void SqliteOutbox::append(Connection& connection, const EventEnvelope& event) {
  auto statement = connection.prepare(insert_sql_);
  statement->bind(1, event.id);
  statement->bind(2, event.type);
  statement->bind(3, event.source);
  statement->bind(4, event.subject);
  statement->bind(5, to_millis(event.time));
  statement->bind(6, event.data);
  statement->exec();
}

bool SqliteOutbox::first_delivery(Connection& connection, const std::string& consumer,
                                  const std::string& event_id) {
  auto statement = connection.prepare(inbox_sql_);
  statement->bind(1, consumer);
  statement->bind(2, event_id);
  return statement->exec() == 1;
}

std::vector<OutboxRecord> SqliteOutbox::unpublished(std::size_t limit) {
  auto statement = database_.reader().prepare(select_unpublished_sql_);
  statement->bind(1, static_cast<std::int64_t>(limit));
  std::vector<OutboxRecord> records;
  while (statement->executeStep()) {
    records.push_back(OutboxRecord{
        statement->getColumn(0).getInt64(),
        EventEnvelope{statement->getColumn(1).getString(), statement->getColumn(2).getString(),
                      statement->getColumn(3).getString(), statement->getColumn(4).getString(),
                      from_millis(statement->getColumn(5).getInt64()),
                      statement->getColumn(6).getString()}});
  }
  return records;
}

void SqliteOutbox::mark_published(std::int64_t sequence) {
  database_.write([&](Connection& connection) {
    auto statement = connection.prepare(mark_published_sql_);
    statement->bind(1, sequence);
    statement->exec();
  });
}

void SqliteOutbox::park(const OutboxRecord& record, const std::string& error, Timestamp now) {
  database_.write([&](Connection& connection) {
    auto parked = connection.prepare(park_sql_);
    parked->bind(1, record.sequence);
    parked->bind(2, record.event.id);
    parked->bind(3, record.event.type);
    parked->bind(4, record.event.source);
    parked->bind(5, record.event.subject);
    parked->bind(6, to_millis(record.event.time));
    parked->bind(7, record.event.data);
    parked->bind(8, error);
    parked->bind(9, to_millis(now));
    parked->exec();
    auto published = connection.prepare(mark_one_published_sql_);
    published->bind(1, record.sequence);
    published->bind(2, to_millis(now));
    published->exec();
  });
}

OutboxBacklog SqliteOutbox::backlog() {
  auto statement = database_.reader().prepare(backlog_sql_);
  statement->executeStep();
  OutboxBacklog backlog;
  backlog.unpublished = statement->getColumn(0).getInt64();
  if (!statement->getColumn(1).isNull()) {
    backlog.oldest_unpublished = from_millis(statement->getColumn(1).getInt64());
  }
  backlog.parked = statement->getColumn(2).getInt64();
  return backlog;
}

std::vector<ParkedEvent> SqliteOutbox::parked(std::size_t limit) {
  auto statement = database_.reader().prepare(select_parked_sql_);
  statement->bind(1, static_cast<std::int64_t>(limit));
  std::vector<ParkedEvent> events;
  while (statement->executeStep()) {
    events.push_back(ParkedEvent{
        OutboxRecord{statement->getColumn(0).getInt64(),
                     EventEnvelope{statement->getColumn(1).getString(),
                                   statement->getColumn(2).getString(),
                                   statement->getColumn(3).getString(),
                                   statement->getColumn(4).getString(),
                                   from_millis(statement->getColumn(5).getInt64()),
                                   statement->getColumn(6).getString()}},
        statement->getColumn(7).getString(), from_millis(statement->getColumn(8).getInt64())});
  }
  return events;
}

}  // namespace shop::sqlite
