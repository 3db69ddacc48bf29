#pragma once

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "adapters/postgres/connection.hpp"

namespace shop::postgres {

// What a store at READ COMMITTED (Isolation::read_committed) keeps per
// transaction, per table. Every row a decision rests on is read after its
// key is locked (an advisory lock, held to the end of the transaction), and
// FOR UPDATE: a concurrent writer of the row, or creator of a row not there
// yet, waits for this transaction and then reads what it committed. The
// lock goes to the server with the read, in the same round trip.
class RowLocks {
 public:
  explicit RowLocks(std::string table) : table_(std::move(table)) {}

  // `read_for_update()` returns an optional row.
  template <class Read>
  auto read(Connection& connection, const std::string& key, Read read_for_update) {
    connection.defer(
        "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || $1), hashtext($2))",
        {param(table_), param(key)});
    auto row = read_for_update();
    (row ? found_ : absent_).insert(key);
    return row;
  }

  // The row of `key` was read, and found, in this transaction.
  bool found(const std::string& key) const { return found_.contains(key); }

  // Inserts the row of a key read as absent with `insert_sql` (INSERT ...
  // ON CONFLICT DO NOTHING) and returns true; false, with nothing run, for
  // any other key. A writer that created the row without reading it first
  // may still have won: then the work runs again and finds its row.
  bool insert_if_absent(Connection& connection, const std::string& key, const char* insert_sql,
                        const std::vector<Param>& values) {
    if (absent_.erase(key) == 0) return false;
    if (connection.exec(insert_sql, values).affected() == 0) {
      throw SqlError(SqlError::serialization_failure,
                     "a concurrent writer created the " + table_ + " row of " + key);
    }
    return true;
  }

 private:
  std::string table_;
  std::unordered_set<std::string> found_;
  std::unordered_set<std::string> absent_;
};

}  // namespace shop::postgres
