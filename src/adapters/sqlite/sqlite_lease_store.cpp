#include "adapters/sqlite/sqlite_lease_store.hpp"

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

namespace {

constexpr const char* schema_v1 = R"sql(
  CREATE TABLE runtime_lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
)sql";

// Events a consumer of the Kafka bus kept failing on, with the envelope in
// CloudEvents' JSON format: a process has one such table for its consumers.
constexpr const char* dead_letters_v2 = R"sql(
  CREATE TABLE runtime_dead_letters (
    sequence INTEGER PRIMARY KEY,
    consumer TEXT NOT NULL,
    event TEXT NOT NULL,
    error TEXT NOT NULL,
    parked_at INTEGER NOT NULL
  );
)sql";

// The condition is the whole point: the row changes only for a lease that
// is free, expired, the holder's own, or taken on purpose. ?2 is now, ?3
// the new expiry, both by the process's clock (SQLite serves one machine).
constexpr const char* acquire_lease =
    "INSERT INTO runtime_lease (name, holder, expires_at) VALUES ('background', ?1, ?3) "
    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE runtime_lease.holder IN ('', ?1) OR runtime_lease.expires_at <= ?2 OR ?4";
constexpr const char* renew_lease =
    "UPDATE runtime_lease SET expires_at = ? WHERE name = 'background' AND holder = ?";
constexpr const char* release_lease =
    "UPDATE runtime_lease SET holder = '', expires_at = 0 WHERE name = 'background' AND holder = ?";
constexpr const char* select_live_holder =
    "SELECT holder FROM runtime_lease WHERE name = 'background' AND holder <> '' "
    "AND expires_at > ?";

}  // namespace

ModuleSchema runtime_schema() {
  return ModuleSchema{"runtime", {{1, schema_v1}, {2, dead_letters_v2}}};
}

bool SqliteLeaseStore::acquire(const std::string& holder, std::chrono::milliseconds ttl,
                               bool from_anyone) {
  bool acquired = false;
  database_.write([&](Connection& connection) {
    auto now = clock_.now();
    auto statement = connection.prepare(acquire_lease);
    statement->bind(1, holder);
    statement->bind(2, to_millis(now));
    statement->bind(3, to_millis(now + ttl));
    statement->bind(4, from_anyone ? 1 : 0);
    acquired = statement->exec() > 0;
  });
  return acquired;
}

bool SqliteLeaseStore::renew(const std::string& holder, std::chrono::milliseconds ttl) {
  bool renewed = false;
  database_.write([&](Connection& connection) {
    auto statement = connection.prepare(renew_lease);
    statement->bind(1, to_millis(clock_.now() + ttl));
    statement->bind(2, holder);
    renewed = statement->exec() > 0;
  });
  return renewed;
}

void SqliteLeaseStore::release(const std::string& holder) {
  database_.write([&](Connection& connection) {
    auto statement = connection.prepare(release_lease);
    statement->bind(1, holder);
    statement->exec();
  });
}

std::optional<std::string> SqliteLeaseStore::live_holder() {
  auto statement = database_.reader().prepare(select_live_holder);
  statement->bind(1, to_millis(clock_.now()));
  if (!statement->executeStep()) return std::nullopt;
  return statement->getColumn(0).getString();
}

}  // namespace shop::sqlite
