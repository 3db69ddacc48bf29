#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/postgres/connection.hpp"

namespace shop::postgres {

// SERIALIZABLE for most stores. READ COMMITTED where a lock taken first
// must let the statements after it see what its holder committed: the
// migrations, and the stores whose hot rows every order shares (stock,
// order, payment), which lock each row they decide on (RowLocks) and so
// queue instead of abort.
enum class Isolation { serializable, read_committed };

struct DatabaseStats {
  std::uint64_t commits = 0;
  std::uint64_t retries = 0;  // transactions run again after losing a race
};

// A bounded pool of connections to one PostgreSQL database, shared by the
// modules' stores. Write transactions are SERIALIZABLE by default: the
// stores were written for SQLite's one writer at a time (what a
// transaction read cannot change before it commits), and replicas on one
// database get the same guarantee from PostgreSQL's serializable snapshot
// isolation. A transaction the server aborts as a conflict's loser runs
// again, whole. Chosen over row locks in every store: no store can forget
// one, and a read of a row that does not exist yet is covered. A store
// whose rows are contended by every request locks them itself (Isolation).
class Database {
 public:
  explicit Database(DatabaseSettings settings);
  ~Database();

  // Runs `work` in one transaction: committed when it returns, rolled back
  // when it throws (rethrown). `work` may run more than once (after a lost
  // race, or on a fresh connection when the first broke before COMMIT), so
  // it must start its captured results afresh. Failure(unavailable) when no
  // connection comes within acquire_timeout, the conflict persists, a lock
  // or statement timeout ran out, or the connection broke twice or during
  // COMMIT (the outcome then unknown). Nested writes are refused, as with
  // SQLite.
  void write(const std::function<void(Connection&)>& work,
             Isolation isolation = Isolation::serializable);
  // Runs `work` on a pooled connection outside any transaction: each
  // statement sees what was committed when it began. Inside a write on this
  // thread it runs in the write's transaction instead: writers each waiting
  // for a second connection could hold the whole pool. Runs again once on a
  // fresh connection when the first broke, so `work` too must start its
  // captured results afresh; Failure(unavailable) as for write.
  void read(const std::function<void(Connection&)>& work);
  // Called after each commit, outside the transaction: a listener may write.
  void on_commit(std::function<void()> listener);
  bool healthy();
  DatabaseStats stats() const;

 private:
  class Lease;
  std::unique_ptr<Connection> acquire(bool fresh = false);
  void give_back(std::unique_ptr<Connection> connection);

  static constexpr int max_attempts = 40;

  DatabaseSettings settings_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  std::vector<std::function<void()>> listeners_;
  DatabaseStats stats_;
};

}  // namespace shop::postgres
