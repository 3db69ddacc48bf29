#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "adapters/sqlite/connection.hpp"

namespace shop::sqlite {

// The database file shared by the modules' stores. Each thread reads on a
// connection of its own; all writes go through one writer connection, and
// writes that arrive while a commit is under way are committed together in
// the next transaction: one log append and one fsync for the group (group
// commit), each write still atomic on its own and answered only once its
// group is durable. Writers in other processes wait on SQLite's busy handler.
// The log is copied back into the file (a checkpoint) by the writer that
// fills it past settings.checkpoint_after_pages, before it hands the lead on.
// Counters since start, for metrics.
struct DatabaseStats {
  std::uint64_t commits = 0;         // group commits
  std::uint64_t writes = 0;          // writes run in them (each its own savepoint)
  double commit_seconds = 0;         // BEGIN to COMMIT, summed over commits
  std::uint64_t busy = 0;            // groups refused: another process held the lock too long
  std::uint64_t checkpoints = 0;
};

class Database {
 public:
  explicit Database(DatabaseSettings settings);
  ~Database();

  // Runs `work` atomically and durably (as `synchronous` promises): when it
  // returns, its changes are committed; when `work` throws, none of them are,
  // and the exception is rethrown here. Failure(unavailable) when the write
  // lock is not had within busy_timeout. Nested writes are refused: a write
  // transaction must never be held while another one (another module's) is
  // started.
  void write(const std::function<void(Connection&)>& work);
  // This thread's connection for reads (each statement sees a committed state).
  Connection& reader() { return connection(); }
  // Called after every commit (the outbox relay wakes on it).
  void on_commit(std::function<void()> listener);
  // True when this thread's connection answers a trivial query.
  bool healthy();
  // Writes a consistent copy of the whole database to `path` (VACUUM INTO:
  // one read snapshot, so writers go on meanwhile) and syncs it to disk.
  // Refuses to overwrite an existing file.
  void back_up_to(const std::string& path);

  const DatabaseSettings& settings() const { return settings_; }
  DatabaseStats stats() const;

 private:
  struct PendingWrite;
  // Commits `group` in one transaction, each write in a savepoint of its own.
  void commit(const std::vector<PendingWrite*>& group);
  // Commits the oldest queued writes; true when `mine` was not among them.
  bool lead_one_group(PendingWrite& mine);
  void checkpoint();
  void begin_transaction(std::chrono::steady_clock::time_point deadline);
  Connection& connection();

  static constexpr std::size_t max_group_size = 256;
  static constexpr std::chrono::microseconds checkpoint_poll{100};
  static constexpr int checkpoint_polls = 500;  // 50 ms in all

  DatabaseSettings settings_;
  std::mutex connections_mutex_;
  std::unordered_map<std::thread::id, std::unique_ptr<Connection>> connections_;

  // Used only by the thread that is committing a group.
  std::unique_ptr<Connection> writer_;
  int log_pages_ = 0;
  // Written by the leading writer, read by a scrape.
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> commit_nanoseconds_{0};
  std::atomic<std::uint64_t> busy_{0};
  std::atomic<std::uint64_t> checkpoints_{0};

  std::mutex queue_mutex_;
  std::vector<PendingWrite*> queue_;
  bool committing_ = false;
  std::function<void()> commit_listener_;
};

}  // namespace shop::sqlite
