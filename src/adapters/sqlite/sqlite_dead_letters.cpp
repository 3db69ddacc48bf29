#include "adapters/sqlite/sqlite_dead_letters.hpp"

#include "adapters/sqlite/time_codec.hpp"
#include "application/shared/event_json.hpp"

namespace shop::sqlite {

namespace {
constexpr const char* insert_letter =
    "INSERT INTO runtime_dead_letters (consumer, event, error, parked_at) VALUES (?, ?, ?, ?)";
constexpr const char* select_letters =
    "SELECT consumer, event, error, parked_at FROM runtime_dead_letters ORDER BY sequence LIMIT ?";
}  // namespace

void SqliteDeadLetters::park(const DeadLetter& letter) {
  database_.write([&](Connection& connection) {
    auto statement = connection.prepare(insert_letter);
    statement->bind(1, letter.consumer);
    statement->bind(2, encode_envelope_json(letter.event));
    statement->bind(3, letter.error);
    statement->bind(4, to_millis(letter.parked_at));
    statement->exec();
  });
}

std::vector<DeadLetter> SqliteDeadLetters::list(std::size_t limit) {
  auto statement = database_.reader().prepare(select_letters);
  statement->bind(1, std::int64_t(limit));
  std::vector<DeadLetter> letters;
  while (statement->executeStep()) {
    letters.push_back({statement->getColumn(0).getString(),
                       decode_envelope_json(statement->getColumn(1).getString()),
                       statement->getColumn(2).getString(),
                       from_millis(statement->getColumn(3).getInt64())});
  }
  return letters;
}

}  // namespace shop::sqlite
