#pragma once

#include "adapters/postgres/database.hpp"
#include "application/shared/dead_letters.hpp"

namespace shop::postgres {

// Dead letters in `runtime_dead_letters` (created by runtime_schema()).
class PostgresDeadLetters final : public DeadLetters {
 public:
  explicit PostgresDeadLetters(Database& database) : database_(database) {}

  void park(const DeadLetter& letter) override;
  std::vector<DeadLetter> list(std::size_t limit) override;
  std::optional<DeadLetter> find(std::int64_t sequence) override;
  void discard(std::int64_t sequence) override;

 private:
  Database& database_;
};

}  // namespace shop::postgres
