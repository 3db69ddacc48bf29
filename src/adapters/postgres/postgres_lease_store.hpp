#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "application/shared/lease.hpp"

namespace shop::postgres {

// `runtime_lease` (which process runs the background work) and
// `runtime_dead_letters` (what the processes' Kafka consumers set aside).
// Not a module's tables: they belong to the processes sharing the database.
ModuleSchema runtime_schema();

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
