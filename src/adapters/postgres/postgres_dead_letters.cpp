#include "adapters/postgres/postgres_dead_letters.hpp"

#include "application/shared/event_json.hpp"

namespace shop::postgres {

namespace {
constexpr const char* insert_letter =
    "INSERT INTO runtime_dead_letters (consumer, event, error, parked_at) VALUES ($1, $2, $3, $4)";
constexpr const char* select_letters =
    "SELECT sequence, consumer, event, error, parked_at FROM runtime_dead_letters "
    "ORDER BY sequence LIMIT $1";
constexpr const char* select_letter =
    "SELECT sequence, consumer, event, error, parked_at FROM runtime_dead_letters "
    "WHERE sequence = $1";
constexpr const char* delete_letter = "DELETE FROM runtime_dead_letters WHERE sequence = $1";

DeadLetter letter_at(const Result& rows, int row) {
  return {rows.integer(row, 0), rows.text(row, 1), decode_envelope_json(rows.text(row, 2)),
          rows.text(row, 3), from_unix_millis(rows.integer(row, 4))};
}
}  // namespace

void PostgresDeadLetters::park(const DeadLetter& letter) {
  database_.write([&](Connection& connection) {
    connection.exec(insert_letter,
                    {param(letter.consumer), param(encode_envelope_json(letter.event)),
                     param(letter.error), param(unix_millis(letter.parked_at))});
  });
}

std::vector<DeadLetter> PostgresDeadLetters::list(std::size_t limit) {
  std::vector<DeadLetter> letters;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_letters, {param(std::int64_t(limit))});
    for (int row = 0; row < rows.rows(); ++row) letters.push_back(letter_at(rows, row));
  });
  return letters;
}

std::optional<DeadLetter> PostgresDeadLetters::find(std::int64_t sequence) {
  std::optional<DeadLetter> letter;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_letter, {param(sequence)});
    if (!rows.empty()) letter = letter_at(rows, 0);
  });
  return letter;
}

void PostgresDeadLetters::discard(std::int64_t sequence) {
  database_.write(
      [&](Connection& connection) { connection.exec(delete_letter, {param(sequence)}); });
}

}  // namespace shop::postgres
