#include "adapters/sqlite/database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <utility>

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

void roll_back_whatever_is_open(Connection& connection) {
  sqlite3* handle = connection.handle().getHandle();
  if (!sqlite3_get_autocommit(handle)) sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace

struct Database::PendingWrite {
  enum State : int { queued, committed, leads };

  const std::function<void(Connection&)>& work;
  std::chrono::steady_clock::time_point deadline;
  std::exception_ptr error;
  // Each writer sleeps on its own word, woken outside the queue's lock: a
  // shared condition variable would wake every queued writer after each
  // commit, and each woken writer would then queue again for the lock.
  std::atomic<int> state{queued};

  void wake(State next) {
    state.store(next, std::memory_order_release);
    state.notify_one();
  }
};

Database::Database(DatabaseSettings settings) : settings_(std::move(settings)) {
  ensure_parent_directory(settings_.path);
  // Opened now so that start-up fails, not the first request, if the file cannot be.
  writer_ = std::make_unique<Connection>(settings_);
  if (!in_memory(settings_)) {
    checkpointer_ = std::make_unique<Checkpointer>(settings_);
    checkpointer_->watch(*writer_);
  }
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
  std::lock_guard lock(queue_mutex_);
  commit_listener_ = std::move(listener);
}

// A writer that finds no commit under way leads: it commits every write
// queued by then, its own included, in one transaction, then hands the lead
// to the oldest writer still queued. The others sleep until their group is
// committed or the lead is handed to them.
void Database::write(const std::function<void(Connection&)>& work) {
  if (in_write_transaction) {
    throw std::logic_error("a write transaction was started inside another one");
  }
  PendingWrite mine{work, std::chrono::steady_clock::now() + settings_.busy_timeout, {}};
  bool leads = false;
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(&mine);
    leads = !std::exchange(committing_, true);
  }
  if (!leads) {
    int state = PendingWrite::queued;
    while ((state = mine.state.load(std::memory_order_acquire)) == PendingWrite::queued) {
      mine.state.wait(PendingWrite::queued, std::memory_order_acquire);
    }
    leads = state == PendingWrite::leads;
  }
  while (leads) leads = lead_one_group(mine);
  if (mine.error) std::rethrow_exception(mine.error);
}

bool Database::lead_one_group(PendingWrite& mine) {
  std::vector<PendingWrite*> group;
  std::function<void()> listener;
  {
    std::lock_guard lock(queue_mutex_);
    auto end = queue_.begin() + std::ptrdiff_t(std::min(queue_.size(), max_group_size));
    group.assign(queue_.begin(), end);
    queue_.erase(queue_.begin(), end);
    listener = commit_listener_;
  }
  commit(group);
  if (listener) listener();
  bool mine_committed = std::find(group.begin(), group.end(), &mine) != group.end();
  // Still queued (the group was full): lead the next group too.
  if (!mine_committed) return true;
  PendingWrite* next = nullptr;
  {
    std::lock_guard lock(queue_mutex_);
    if (queue_.empty()) {
      committing_ = false;
    } else {
      next = queue_.front();
    }
  }
  // A queued writer cannot leave before it is woken, so `next` is alive.
  if (next) next->wake(PendingWrite::leads);
  for (auto* pending : group) {
    if (pending != &mine) pending->wake(PendingWrite::committed);
  }
  return false;
}

void Database::commit(const std::vector<PendingWrite*>& group) {
  in_write_transaction = true;
  struct Reset {
    ~Reset() { in_write_transaction = false; }
  } reset;
  auto fail_all = [&](std::exception_ptr error) {
    for (auto* pending : group) pending->error = error;
  };
  auto deadline = std::chrono::steady_clock::time_point::min();
  for (auto* pending : group) deadline = std::max(deadline, pending->deadline);
  try {
    begin_transaction(deadline);
  } catch (...) {
    fail_all(std::current_exception());
    return;
  }
  Connection& connection = *writer_;
  try {
    for (auto* pending : group) {
      connection.run("SAVEPOINT one_write");
      try {
        pending->work(connection);
        connection.run("RELEASE one_write");
      } catch (...) {
        pending->error = std::current_exception();
        // Some errors (I/O, disk full) end the whole transaction.
        if (sqlite3_get_autocommit(connection.handle().getHandle())) throw;
        connection.run("ROLLBACK TO one_write");
        connection.run("RELEASE one_write");
      }
    }
    connection.run("COMMIT");
  } catch (...) {
    roll_back_whatever_is_open(connection);
    fail_all(std::current_exception());
  }
}

void Database::begin_transaction(std::chrono::steady_clock::time_point deadline) {
  sqlite3* handle = writer_->handle().getHandle();
  // Another process may hold the lock: wait for it only as long as is left.
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) throw busy_failure();
  sqlite3_busy_timeout(handle, int(left.count()));
  try {
    writer_->run("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& error) {
    if (error.getErrorCode() == SQLITE_BUSY) throw busy_failure();
    throw;
  }
}

}  // namespace shop::sqlite
