#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

namespace shop::sqlite {

enum class Synchronous { full, normal };

struct DatabaseSettings {
  std::string path = "data/shopbox.db";
  // FULL survives a power loss; NORMAL only a process crash (WAL mode).
  Synchronous synchronous = Synchronous::full;
  // How long a writer waits for another process's write lock before the
  // request fails with 503 instead of SQLITE_BUSY leaking out.
  std::chrono::milliseconds busy_timeout{10000};
  // Pages in the write-ahead log that trigger a checkpoint. Four times
  // SQLite's default: pages rewritten between checkpoints are copied back
  // once, which took 10 % off the bytes written per order; the log stays
  // near 16 MiB.
  int checkpoint_after_pages = 4000;
};

// A prepared statement borrowed from a connection's cache; resets itself
// when the lease ends so that no half-read SELECT pins an old snapshot.
class Statement {
 public:
  explicit Statement(SQLite::Statement& statement) : statement_(statement) {}
  ~Statement() { statement_.tryReset(); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

 private:
  SQLite::Statement& statement_;
};

// One SQLite connection with its prepared statements, used by one thread at
// a time.
class Connection {
 public:
  explicit Connection(const DatabaseSettings& settings);

  // Prepares `sql` on first use, then reuses it with fresh bindings.
  Statement prepare(const std::string& sql);
  // Runs a statement that returns no rows, prepared once.
  void run(const std::string& sql) { prepare(sql)->exec(); }
  SQLite::Database& handle() { return database_; }

 private:
  SQLite::Database database_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace shop::sqlite
