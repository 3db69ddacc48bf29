#pragma once

#include "adapters/sqlite/database.hpp"
#include "application/shared/dead_letters.hpp"

namespace shop::sqlite {

// Dead letters in `runtime_dead_letters` (created by runtime_schema()).
class SqliteDeadLetters final : public DeadLetters {
 public:
  explicit SqliteDeadLetters(Database& database) : database_(database) {}

  void park(const DeadLetter& letter) override;
  std::vector<DeadLetter> list(std::size_t limit) override;
  std::optional<DeadLetter> find(std::int64_t sequence) override;
  void discard(std::int64_t sequence) override;

 private:
  Database& database_;
};

}  // namespace shop::sqlite
