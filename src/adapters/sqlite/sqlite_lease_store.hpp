#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/lease.hpp"

namespace shop::sqlite {

// `runtime_lease` (which process runs the background work) and
// `runtime_dead_letters` (what this process's Kafka consumers set aside).
// Not a module's tables: they belong to the processes sharing the file.
ModuleSchema runtime_schema();

// Expiry by `clock`, the process's: the processes sharing a file share a
// machine.
class SqliteLeaseStore final : public LeaseStore {
 public:
  SqliteLeaseStore(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  bool acquire(const std::string& holder, std::chrono::milliseconds ttl,
               bool from_anyone) override;
  bool renew(const std::string& holder, std::chrono::milliseconds ttl) override;
  void release(const std::string& holder) override;
  std::optional<std::string> live_holder() override;

 private:
  Database& database_;
  const Clock& clock_;
};

}  // namespace shop::sqlite
