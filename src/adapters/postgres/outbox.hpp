#pragma once

#include <functional>
#include <string>
#include <vector>

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "application/shared/outbox.hpp"

namespace shop::postgres {

// As on SQLite: `<module>_outbox` (events written with the state change,
// relayed after commit; the module's event log), `<module>_inbox` (events
// handled, by consumer and event id) and `<module>_parked`.
Migration event_tables_migration(int version, const std::string& module);

class PostgresOutbox final : public Outbox {
 public:
  PostgresOutbox(Database& database, const std::string& module);

  // Appends inside the caller's write transaction (deferred: it goes to the
  // server with the next statement, the COMMIT). Appends of one module
  // take turns until their transactions end (an advisory lock), so that
  // sequences commit in order and the relay's "published up to" never
  // skips one still being committed by another replica.
  void append(Connection& connection, const EventEnvelope& event);
  // Inserts into the inbox inside the caller's write transaction; false
  // when the event was handled before.
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
// module's outbox. Events are appended when the work is done, last before
// COMMIT: the module's outbox lock is then held for one round trip, and is
// the last lock a transaction takes, so it is never part of a lock cycle.
template <class Port>
class OutboxTransaction : public Port {
 public:
  OutboxTransaction(Connection& connection, PostgresOutbox& outbox)
      : connection_(connection), outbox_(outbox) {}
  void publish(const EventEnvelope& event) override { published_.push_back(event); }
  void append_published() {
    for (const auto& event : published_) outbox_.append(connection_, event);
  }

 protected:
  Connection& connection_;
  PostgresOutbox& outbox_;

 private:
  std::vector<EventEnvelope> published_;
};

template <class Transaction, class Port>
void write_with(Database& database, PostgresOutbox& outbox, const std::function<void(Port&)>& work,
                Isolation isolation = Isolation::serializable) {
  database.write(
      [&](Connection& connection) {
        Transaction transaction(connection, outbox);
        work(transaction);
        transaction.append_published();
      },
      isolation);
}

}  // namespace shop::postgres
