#include "adapters/postgres/postgres_lease_store.hpp"

namespace shop::postgres {

namespace {

// The dead letters are events a consumer of the Kafka bus kept failing on,
// with the envelope in CloudEvents' JSON format. A BIGSERIAL never hands out
// a sequence twice, so a redelivery or discard by sequence cannot reach a
// letter parked after the one staff looked at.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE runtime_lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE runtime_dead_letters (
    sequence BIGSERIAL PRIMARY KEY,
    consumer TEXT NOT NULL,
    event TEXT NOT NULL,
    error TEXT NOT NULL,
    parked_at BIGINT NOT NULL
  );
)sql";

// The condition is the whole point: the row changes only for a lease that
// is free, expired, the holder's own, or taken on purpose. Expiry is the
// server's clock (in Unix milliseconds) plus the ttl, and is compared with
// that clock only: a replica's own clock never enters the row.
constexpr const char* acquire_lease =
    "INSERT INTO runtime_lease (name, holder, expires_at) "
    "VALUES ('background', $1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint + $2) "
    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE runtime_lease.holder IN ('', $1) "
    "OR runtime_lease.expires_at <= (extract(epoch FROM clock_timestamp()) * 1000)::bigint OR $3";
constexpr const char* renew_lease =
    "UPDATE runtime_lease SET expires_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint "
    "+ $1 WHERE name = 'background' AND holder = $2";
constexpr const char* release_lease =
    "UPDATE runtime_lease SET holder = '', expires_at = 0 "
    "WHERE name = 'background' AND holder = $1";
constexpr const char* select_live_holder =
    "SELECT holder FROM runtime_lease WHERE name = 'background' AND holder <> '' "
    "AND expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint";

}  // namespace

ModuleSchema runtime_schema() { return ModuleSchema{"runtime", {{1, schema_v1}}}; }

DatabaseSettings lease_database_settings(DatabaseSettings shared, std::chrono::milliseconds ttl) {
  shared.pool_size = 1;
  shared.acquire_timeout = ttl / 3;
  shared.statement_timeout = ttl / 3;
  // The server's timeout does not cover a connection gone quiet; this
  // does, so that the keeper's thread is not stuck in a call for long.
  shared.tcp_user_timeout = ttl / 3;
  return shared;
}

bool PostgresLeaseStore::acquire(const std::string& holder, std::chrono::milliseconds ttl,
                                 bool from_anyone) {
  bool acquired = false;
  database_.write([&](Connection& connection) {
    auto rows = connection.exec(acquire_lease, {param(holder), param(std::int64_t(ttl.count())),
                                                param(from_anyone)});
    acquired = rows.affected() > 0;
  });
  return acquired;
}

bool PostgresLeaseStore::renew(const std::string& holder, std::chrono::milliseconds ttl) {
  bool renewed = false;
  database_.write([&](Connection& connection) {
    auto rows = connection.exec(renew_lease, {param(std::int64_t(ttl.count())), param(holder)});
    renewed = rows.affected() > 0;
  });
  return renewed;
}

void PostgresLeaseStore::release(const std::string& holder) {
  database_.write([&](Connection& connection) { connection.exec(release_lease, {param(holder)}); });
}

std::optional<std::string> PostgresLeaseStore::live_holder() {
  std::optional<std::string> holder;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_live_holder);
    if (!rows.empty()) holder = rows.text(0, 0);
  });
  return holder;
}

}  // namespace shop::postgres
