#include "adapters/sqlite/migrations.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace shop::sqlite {

namespace {

constexpr const char* create_migrations_table = R"sql(
  CREATE TABLE IF NOT EXISTS shopbox_migrations (
    module TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (module, version)
  ))sql";

constexpr const char* select_version =
    "SELECT coalesce(max(version), 0) FROM shopbox_migrations WHERE module = ?";

constexpr const char* insert_version =
    "INSERT INTO shopbox_migrations (module, version) VALUES (?, ?)";

int current_version(Connection& connection, const std::string& module) {
  auto statement = connection.prepare(select_version);
  statement->bind(1, module);
  statement->executeStep();
  return statement->getColumn(0).getInt();
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
  database.write([](Connection& connection) { connection.handle().exec(create_migrations_table); });
  MigrationReport report;
  for (const auto& schema : schemas) {
    for (const auto& migration : schema.migrations) {
      database.write([&](Connection& connection) {
        // Read inside the write transaction: two processes starting at once
        // must not both apply the same migration.
        int current = current_version(connection, schema.module);
        refuse_newer(schema, current);
        if (migration.version <= current) return;
        connection.handle().exec(migration.sql);
        auto record = connection.prepare(insert_version);
        record->bind(1, schema.module);
        record->bind(2, migration.version);
        record->exec();
        ++report.applied;
      });
    }
    database.write([&](Connection& connection) {
      refuse_newer(schema, current_version(connection, schema.module));
    });
  }
  return report;
}

}  // namespace shop::sqlite
