#include "adapters/sqlite/database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "domain/shared/failure.hpp"

namespace shop::sqlite {

namespace {

thread_local bool in_write_transaction = false;

void ensure_parent_directory(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
}

Failure busy_failure() {
  return Failure::retry_later(FailureKind::unavailable, "database_busy",
                              "the database is busy; try again", 1);
}

}  // namespace

Connection::Connection(const DatabaseSettings& settings)
    : database_(settings.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI |
                                   SQLite::OPEN_NOMUTEX,
                int(settings.busy_timeout.count())) {
  database_.exec("PRAGMA journal_mode=WAL");
  database_.exec(settings.synchronous == Synchronous::full ? "PRAGMA synchronous=FULL"
                                                           : "PRAGMA synchronous=NORMAL");
  database_.exec("PRAGMA foreign_keys=ON");
  database_.exec("PRAGMA temp_store=MEMORY");
}

Statement Connection::prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(database_, sql)).first;
  } else {
    it->second->clearBindings();
  }
  return Statement(*it->second);
}

Database::Database(DatabaseSettings settings) : settings_(std::move(settings)) {
  ensure_parent_directory(settings_.path);
  connection();  // fail at start-up, not on the first request, if the file cannot be opened
}

Database::~Database() = default;

Connection& Database::connection() {
  std::lock_guard lock(connections_mutex_);
  auto& slot = connections_[std::this_thread::get_id()];
  if (!slot) slot = std::make_unique<Connection>(settings_);
  return *slot;
}

bool Database::healthy() {
  auto statement = connection().prepare("SELECT 1");
  return statement->executeStep() && statement->getColumn(0).getInt() == 1;
}

void Database::on_commit(std::function<void()> listener) {
  std::lock_guard lock(writer_);
  commit_listener_ = std::move(listener);
}

void Database::write(const std::function<void(Connection&)>& work) {
  if (in_write_transaction) {
    throw std::logic_error("a write transaction was started inside another one");
  }
  Connection& connection = this->connection();
  auto deadline = std::chrono::steady_clock::now() + settings_.busy_timeout;
  std::unique_lock lock(writer_, deadline);
  if (!lock.owns_lock()) throw busy_failure();
  in_write_transaction = true;
  struct Reset {
    ~Reset() { in_write_transaction = false; }
  } reset;

  // Another process may hold the lock: wait for it only as long as is left.
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  sqlite3_busy_timeout(connection.handle().getHandle(), int(std::max<std::int64_t>(left.count(), 1)));
  try {
    connection.handle().exec("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& error) {
    if (error.getErrorCode() == SQLITE_BUSY) throw busy_failure();
    throw;
  }
  try {
    work(connection);
    connection.handle().exec("COMMIT");
  } catch (...) {
    sqlite3* handle = connection.handle().getHandle();
    // A failed COMMIT may leave the transaction open; roll back whatever is left.
    if (!sqlite3_get_autocommit(handle)) sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  auto listener = commit_listener_;
  lock.unlock();
  if (listener) listener();
}

}  // namespace shop::sqlite
