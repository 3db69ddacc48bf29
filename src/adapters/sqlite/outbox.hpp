#pragma once

#include <functional>
#include <string>

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "application/shared/outbox.hpp"

namespace shop::sqlite {

// The tables every module keeps for its events: `<module>_outbox` (events
// written with the state change, relayed after commit; it doubles as the
// module's event log) and `<module>_inbox` (events it handled, keyed by
// consumer and event id so that a redelivery is a no-op).
Migration event_tables_migration(int version, const std::string& module);
// `<module>_parked`: events whose handlers kept failing, for staff to see.
Migration parked_events_migration(int version, const std::string& module);

class SqliteOutbox final : public Outbox {
 public:
  SqliteOutbox(Database& database, const std::string& module);

  // Appends inside the caller's write transaction.
  void append(Connection& connection, const EventEnvelope& event);
  // Inserts into the inbox inside the caller's write transaction; false when
  // the event was handled before.
  bool first_delivery(Connection& connection, const std::string& consumer,
                      const std::string& event_id);

  std::vector<OutboxRecord> unpublished(std::size_t limit) override;
  void mark_published(std::int64_t sequence) override;
  void park(const OutboxRecord& record, const std::string& error, Timestamp now) override;
  std::vector<ParkedEvent> parked(std::size_t limit) override;
  OutboxBacklog backlog() override;

 private:
  Database& database_;
  std::string insert_sql_;
  std::string select_unpublished_sql_;
  std::string mark_published_sql_;
  std::string inbox_sql_;
  std::string park_sql_;
  std::string mark_one_published_sql_;
  std::string select_parked_sql_;
  std::string backlog_sql_;
};

// What every module's write transaction shares: its connection and its
// module's outbox, where events are written in the same transaction.
template <class Port>
class OutboxTransaction : public Port {
 public:
  OutboxTransaction(Connection& connection, SqliteOutbox& outbox)
      : connection_(connection), outbox_(outbox) {}
  void publish(const EventEnvelope& event) override { outbox_.append(connection_, event); }

 protected:
  Connection& connection_;
  SqliteOutbox& outbox_;
};

// Runs `work` on a module's Transaction (an OutboxTransaction) inside one
// database write transaction.
template <class Transaction, class Port>
void write_with(Database& database, SqliteOutbox& outbox,
                const std::function<void(Port&)>& work) {
  database.write([&](Connection& connection) {
    Transaction transaction(connection, outbox);
    work(transaction);
  });
}

}  // namespace shop::sqlite
