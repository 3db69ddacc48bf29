#pragma once

#include <span>
#include <string>
#include <vector>

#include "adapters/sqlite/database.hpp"

namespace shop::sqlite {

// Each module versions its own tables, so that a module can later move to
// its own database with its history. Migrations are additive only, so an
// older binary keeps working on a newer schema during a hand-over.
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

// Applies what is missing, each migration in its own transaction. Throws
// std::runtime_error when the database holds a version of a module newer
// than this binary knows: running on it could corrupt data.
MigrationReport migrate(Database& database, std::span<const ModuleSchema> schemas);

}  // namespace shop::sqlite
