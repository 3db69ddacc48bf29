#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/sqlite/connection.hpp"

namespace shop::sqlite {

// Copies the write-ahead log back into the database file on a thread of its
// own, so that no writer pays for a checkpoint (SQLite's automatic one runs
// inside the COMMIT of whichever writer crosses the threshold). PASSIVE: it
// never waits for, or blocks, readers and writers.
class Checkpointer {
 public:
  explicit Checkpointer(const DatabaseSettings& settings);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes over `writer`'s automatic checkpoints: from now on its commits
  // report the log's size here instead.
  void watch(Connection& writer);

 private:
  static constexpr int pages_between_checkpoints = 1000;  // SQLite's own default

  void log_grew(int pages);
  void run();

  std::unique_ptr<Connection> connection_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace shop::sqlite
