#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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

// One SQLite connection with its prepared statements, used by one thread.
class Connection {
 public:
  explicit Connection(const DatabaseSettings& settings);

  // Prepares `sql` on first use, then reuses it with fresh bindings.
  Statement prepare(const std::string& sql);
  SQLite::Database& handle() { return database_; }

 private:
  SQLite::Database database_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// The database file shared by the modules' stores. Each thread gets its own
// connection; writers in this process queue on a mutex and writers in other
// processes on SQLite's busy handler, both within one busy_timeout in all.
class Database {
 public:
  explicit Database(DatabaseSettings settings);
  ~Database();

  // Runs `work` in BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows when
  // it throws. Failure(unavailable) when the write lock is not had within
  // busy_timeout. Nested writes are refused: a write transaction must never be
  // held while another one (another module's) is started.
  void write(const std::function<void(Connection&)>& work);
  // This thread's connection for reads (each statement sees a committed state).
  Connection& reader() { return connection(); }
  // Called after every commit (the outbox relay wakes on it).
  void on_commit(std::function<void()> listener);
  // True when this thread's connection answers a trivial query.
  bool healthy();

  const DatabaseSettings& settings() const { return settings_; }

 private:
  Connection& connection();

  DatabaseSettings settings_;
  std::mutex connections_mutex_;
  std::unordered_map<std::thread::id, std::unique_ptr<Connection>> connections_;
  std::timed_mutex writer_;
  std::function<void()> commit_listener_;
};

}  // namespace shop::sqlite
