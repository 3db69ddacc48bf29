#pragma once

#include <span>
#include <string>
#include <vector>

#include "adapters/postgres/database.hpp"

namespace shop::postgres {

// As on SQLite: each module versions its own tables; migrations are
// additive, so replicas of an older binary keep working during a rolling
// update.
struct Migration {
  int version;
  std::string sql;
};

struct ModuleSchema {
  std::string module;
  std::vector<Migration> migrations;
};

struct MigrationReport {
  int applied = 0;
};

// Applies what is missing, each migration in its own transaction, under an
// advisory lock so that replicas starting together apply each once. Throws
// std::runtime_error when the database holds a newer version of a module
// than this binary knows.
MigrationReport migrate(Database& database, std::span<const ModuleSchema> schemas);

}  // namespace shop::postgres
