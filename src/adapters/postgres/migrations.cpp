#include "adapters/postgres/migrations.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace shop::postgres {

namespace {

// Any number, the same in every shopbox: the key of the migrations' lock.
// A migration may take long (an index on a big table), and a replica
// starting meanwhile waits for it: neither is bound by the request timeouts.
constexpr const char* lock_migrations =
    "SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0; "
    "SELECT pg_advisory_xact_lock(7316001)";

constexpr const char* create_migrations_table = R"sql(
  CREATE TABLE IF NOT EXISTS shopbox_migrations (
    module TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (module, version)
  ))sql";
constexpr const char* select_version =
    "SELECT coalesce(max(version), 0) FROM shopbox_migrations WHERE module = $1";
constexpr const char* insert_version =
    "INSERT INTO shopbox_migrations (module, version) VALUES ($1, $2)";

int current_version(Connection& connection, const std::string& module) {
  return int(connection.exec(select_version, {param(module)}).integer(0, 0));
}

int newest_known(const ModuleSchema& schema) {
  return schema.migrations.empty() ? 0 : schema.migrations.back().version;
}

void refuse_newer(const ModuleSchema& schema, int current) {
  if (current > newest_known(schema)) {
    throw std::runtime_error(fmt::format(
        "the database holds schema version {} of module {}, newer than the {} this shopbox "
        "knows; run a newer shopbox or restore a backup",
        current, schema.module, newest_known(schema)));
  }
}

}  // namespace

MigrationReport migrate(Database& database, std::span<const ModuleSchema> schemas) {
  // READ COMMITTED: after waiting for the lock, each statement sees what
  // the replica that held it committed.
  database.write(
      [](Connection& connection) {
        connection.run(lock_migrations);
        connection.run(create_migrations_table);
      },
      Isolation::read_committed);
  MigrationReport report;
  for (const auto& schema : schemas) {
    for (const auto& migration : schema.migrations) {
      bool applied = false;  // set by the attempt that committed
      database.write([&](Connection& connection) {
        connection.run(lock_migrations);
        int current = current_version(connection, schema.module);
        refuse_newer(schema, current);
        applied = migration.version > current;
        if (!applied) return;
        connection.run(migration.sql);
        connection.exec(insert_version, {param(schema.module), param(migration.version)});
      }, Isolation::read_committed);
      if (applied) ++report.applied;
    }
    database.read([&](Connection& connection) {
      refuse_newer(schema, current_version(connection, schema.module));
    });
  }
  return report;
}

}  // namespace shop::postgres
