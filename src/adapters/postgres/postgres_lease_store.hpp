#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "application/shared/lease.hpp"

namespace shop::postgres {

// `runtime_lease` (which process runs the background work) and
// `runtime_dead_letters` (what the processes' Kafka consumers set aside).
// Not a module's tables: they belong to the processes sharing the database.
ModuleSchema runtime_schema();

// The settings of the lease's own Database, beside the `shared` one the
// requests use: one connection that no request can hold up, and no wait
// for it, a statement on it or unacknowledged data longer than a third of
// `ttl`, so that a renewal fails in time rather than hang past the lease.
DatabaseSettings lease_database_settings(DatabaseSettings shared, std::chrono::milliseconds ttl);

// Expiry by the server's clock, which every replica shares.
class PostgresLeaseStore final : public LeaseStore {
 public:
  explicit PostgresLeaseStore(Database& database) : database_(database) {}

  bool acquire(const std::string& holder, std::chrono::milliseconds ttl,
               bool from_anyone) override;
  bool renew(const std::string& holder, std::chrono::milliseconds ttl) override;
  void release(const std::string& holder) override;
  std::optional<std::string> live_holder() override;

 private:
  Database& database_;
};

}  // namespace shop::postgres
