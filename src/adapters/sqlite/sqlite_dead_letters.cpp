#include "adapters/sqlite/sqlite_dead_letters.hpp"

#include "adapters/sqlite/time_codec.hpp"
#include "application/shared/event_json.hpp"

namespace shop::sqlite {

namespace {
constexpr const char* insert_letter =
    "INSERT INTO runtime_dead_letters (consumer, event, error, parked_at) VALUES (?, ?, ?, ?)";
constexpr const char* select_letters =
    "SELECT sequence, consumer, event, error, parked_at FROM runtime_dead_letters "
    "ORDER BY sequence LIMIT ?";
constexpr const char* select_letter =
    "SELECT sequence, consumer, event, error, parked_at FROM runtime_dead_letters "
    "WHERE sequence = ?";
constexpr const char* delete_letter = "DELETE FROM runtime_dead_letters WHERE sequence = ?";

template <class Statement>
DeadLetter letter_of(Statement& row) {
  return {row->getColumn(0).getInt64(), row->getColumn(1).getString(),
          decode_envelope_json(row->getColumn(2).getString()), row->getColumn(3).getString(),
          from_millis(row->getColumn(4).getInt64())};
}
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
  while (statement->executeStep()) letters.push_back(letter_of(statement));
  return letters;
}

std::optional<DeadLetter> SqliteDeadLetters::find(std::int64_t sequence) {
  auto statement = database_.reader().prepare(select_letter);
  statement->bind(1, sequence);
  if (!statement->executeStep()) return std::nullopt;
  return letter_of(statement);
}

void SqliteDeadLetters::discard(std::int64_t sequence) {
  database_.write([&](Connection& connection) {
    auto statement = connection.prepare(delete_letter);
    statement->bind(1, sequence);
    statement->exec();
  });
}

}  // namespace shop::sqlite
