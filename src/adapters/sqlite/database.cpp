#include "adapters/sqlite/database.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <sqlite3.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
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

// Sleeps while `word` holds `value`. A plain futex: std::atomic::wait spins
// with sched_yield first, which on a busy core is a context switch per spin.
void sleep_while(std::atomic<int>& word, int value) {
  static_assert(sizeof(std::atomic<int>) == sizeof(int));
  syscall(SYS_futex, reinterpret_cast<int*>(&word), FUTEX_WAIT_PRIVATE, value, nullptr, nullptr, 0);
}

// Waking a word whose owner has already seen it change and gone is
// harmless: at worst a later sleeper at that address wakes, sees nothing
// changed for it, and sleeps again.
void wake_one(std::atomic<int>& word) {
  syscall(SYS_futex, reinterpret_cast<int*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
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
    wake_one(state);
  }
};

Database::Database(DatabaseSettings settings) : settings_(std::move(settings)) {
  // SQLite counts every allocation under one global mutex; nothing here
  // reads the counts. Refused (harmlessly) once SQLite is initialised.
  static std::once_flag unmetered;
  std::call_once(unmetered, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  ensure_parent_directory(settings_.path);
  // Opened now so that start-up fails, not the first request, if the file cannot be.
  writer_ = std::make_unique<Connection>(settings_);
  // Replaces SQLite's automatic checkpoint (itself a WAL hook) with ours.
  sqlite3_wal_hook(
      writer_->handle().getHandle(),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<Database*>(self)->log_pages_ = pages;
        return SQLITE_OK;
      },
      this);
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

DatabaseStats Database::stats() const {
  return DatabaseStats{commits_.load(std::memory_order_relaxed),
                       writes_.load(std::memory_order_relaxed),
                       double(commit_nanoseconds_.load(std::memory_order_relaxed)) / 1e9,
                       busy_.load(std::memory_order_relaxed),
                       checkpoints_.load(std::memory_order_relaxed)};
}

void Database::back_up_to(const std::string& path) {
  if (std::filesystem::exists(path)) {
    throw std::invalid_argument(path + " already exists; a backup never overwrites a file");
  }
  auto statement = connection().prepare("VACUUM INTO ?");
  statement->bind(1, path);
  statement->exec();
  // VACUUM INTO leaves the copy to the page cache: a backup must survive a
  // power loss as well as the original does.
  int file = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  bool synced = file >= 0 && ::fsync(file) == 0;
  if (file >= 0) ::close(file);
  if (!synced) throw std::runtime_error("could not sync the backup " + path + " to disk");
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
      sleep_while(mine.state, PendingWrite::queued);
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
  auto began = std::chrono::steady_clock::now();
  commit(group);
  commit_nanoseconds_.fetch_add(
      std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - began)
                        .count()),
      std::memory_order_relaxed);
  commits_.fetch_add(1, std::memory_order_relaxed);
  writes_.fetch_add(group.size(), std::memory_order_relaxed);
  if (listener) listener();
  bool mine_committed = std::find(group.begin(), group.end(), &mine) != group.end();
  for (auto* pending : group) {
    if (pending != &mine) pending->wake(PendingWrite::committed);
  }
  // While this thread leads no write can start, so the checkpoint can copy
  // the whole log back; the group just committed need not wait for it.
  if (log_pages_ >= settings_.checkpoint_after_pages) checkpoint();
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
  return false;
}

// RESTART, not SQLite's automatic PASSIVE: readers that never pause keep a
// passive checkpoint from ever finishing, and the log then grows without
// end. RESTART waits (briefly) for the readers of old frames, so that the
// next commit writes the log from its start again. BUSY (another process
// checkpointing, or a reader too slow) loses nothing: the next commit tries.
void Database::checkpoint() {
  sqlite3* handle = writer_->handle().getHandle();
  // Readers finish in microseconds; SQLite's own busy handler would sleep
  // 1, 2, 5, 10... ms between looks while every writer waits.
  sqlite3_busy_handler(
      handle,
      [](void*, int attempts) {
        std::this_thread::sleep_for(checkpoint_poll);
        return attempts < checkpoint_polls ? 1 : 0;
      },
      nullptr);
  sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  log_pages_ = 0;
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
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
  if (left.count() <= 0) {
    busy_.fetch_add(1, std::memory_order_relaxed);
    throw busy_failure();
  }
  sqlite3_busy_timeout(handle, int(left.count()));
  try {
    writer_->run("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& error) {
    if (error.getErrorCode() != SQLITE_BUSY) throw;
    busy_.fetch_add(1, std::memory_order_relaxed);
    throw busy_failure();
  }
}

}  // namespace shop::sqlite
