#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "application/shared/lease.hpp"

namespace shop::sqlite {

// `runtime_lease` (which process runs the background work) and
// `runtime_dead_letters` (what this process's Kafka consumers set aside).
// Not a module's tables: they belong to the processes sharing the file.
ModuleSchema runtime_schema();

class SqliteLeaseStore final : public LeaseStore {
 public:
  explicit SqliteLeaseStore(Database& database) : database_(database) {}

  bool acquire(const std::string& holder, Timestamp now, Timestamp expires_at,
               bool from_anyone) override;
  bool renew(const std::string& holder, Timestamp expires_at) override;
  void release(const std::string& holder) override;
  std::optional<LeaseHolder> current() override;

 private:
  Database& database_;
};

}  // namespace shop::sqlite
