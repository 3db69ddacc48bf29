#include "adapters/postgres/database.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <utility>

#include "domain/shared/failure.hpp"

namespace shop::postgres {

namespace {

// The write transaction running on this thread, if any.
struct Writing {
  const Database* database = nullptr;
  Connection* connection = nullptr;
};
thread_local Writing writing;

struct WritingScope {
  WritingScope(const Database& database, Connection& connection) {
    writing = {&database, &connection};
  }
  ~WritingScope() { writing = {}; }
};

Failure unavailable(const std::string& why) {
  return Failure::retry_later(FailureKind::unavailable, "database_unavailable", why, 1);
}

Failure timed_out(const SqlError& error) {
  return unavailable("the database is busy: a lock or statement timeout ran out (SQLSTATE " +
                     error.sqlstate() + ")");
}

void roll_back(Connection& connection) {
  try {
    connection.rollback();
  } catch (const SqlError&) {
  }
}

}  // namespace

// A connection borrowed from the pool, given back (or dropped, if broken)
// when the lease ends.
class Database::Lease {
 public:
  Lease(Database& database, bool fresh)
      : database_(database), connection_(database.acquire(fresh)) {}
  ~Lease() { database_.give_back(std::move(connection_)); }
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  Database& database_;
  std::unique_ptr<Connection> connection_;
};

Database::Database(DatabaseSettings settings) : settings_(std::move(settings)) {
  if (settings_.pool_size < 1) throw std::invalid_argument("the pool needs at least 1 connection");
  // Fails at start, not at the first request, when the server is not
  // there, with libpq's reason (a request gets only a 503 that says so).
  idle_.push_back(std::make_unique<Connection>(settings_));
  open_ = 1;
}

Database::~Database() = default;

// `fresh`: a new server connection rather than an idle one, which may have
// broken as the last one did (a restarted server ends them all).
std::unique_ptr<Connection> Database::acquire(bool fresh) {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + settings_.acquire_timeout;
  while (idle_.empty() && open_ >= settings_.pool_size) {
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= settings_.pool_size) {
      throw unavailable("no database connection free within the acquire timeout");
    }
  }
  std::unique_ptr<Connection> replaced;
  if (!idle_.empty() && (!fresh || open_ >= settings_.pool_size)) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (!fresh) return connection;
    replaced = std::move(connection);  // the pool is full: the new one takes its place
  } else {
    ++open_;
  }
  lock.unlock();
  replaced.reset();
  try {
    return std::make_unique<Connection>(settings_);
  } catch (...) {
    {
      std::lock_guard relock(mutex_);
      --open_;
      available_.notify_one();
    }
    throw unavailable("cannot connect to the database");
  }
}

void Database::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection && connection->usable()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  available_.notify_one();
}

void Database::write(const std::function<void(Connection&)>& work, Isolation isolation) {
  if (writing.connection) throw std::logic_error("a write transaction inside another one");
  std::minstd_rand jitter(std::random_device{}());
  auto backoff = std::chrono::microseconds(200);
  bool fresh = false;
  bool reconnected = false;
  for (int attempt = 1;; ++attempt) {
    {
      Lease connection(*this, std::exchange(fresh, false));
      WritingScope scope(*this, *connection);
      bool committing = false;
      try {
        connection->defer(isolation == Isolation::serializable
                               ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                               : "BEGIN ISOLATION LEVEL READ COMMITTED");
        work(*connection);
        committing = true;
        // A work that caught a statement's failure and went on leaves a
        // transaction that COMMIT only rolls back.
        if (connection->exec("COMMIT").command() != "COMMIT") {
          throw std::logic_error("a write transaction failed but its work went on");
        }
        break;
      } catch (const SqlError& error) {
        roll_back(*connection);
        if (error.connection_lost()) {
          if (committing) {
            throw unavailable(
                "the database connection broke during COMMIT: whether the write was committed "
                "is unknown");
          }
          if (reconnected) throw unavailable("the database connection broke again");
          // Nothing was committed: the work runs again at once, on a new
          // connection, as it would after a lost race.
          fresh = reconnected = true;
          continue;
        }
        if (error.timed_out()) throw timed_out(error);
        if (!error.retryable()) throw;
        if (attempt == max_attempts) {
          // The statement's text stays out of an answer clients read.
          throw unavailable("write conflict: other writers kept winning (SQLSTATE " +
                            error.sqlstate() + ")");
        }
        std::lock_guard lock(mutex_);
        ++stats_.retries;
      } catch (...) {
        roll_back(*connection);
        throw;
      }
    }
    // The losers of one race should not meet again at once: a random wait
    // below a ceiling that doubles up to 50 ms, without a connection held.
    std::this_thread::sleep_for(std::chrono::microseconds(jitter() % backoff.count() + 50));
    backoff = std::min(backoff * 2, std::chrono::microseconds(50'000));
  }
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(mutex_);
    ++stats_.commits;
    listeners = listeners_;
  }
  for (const auto& listener : listeners) listener();
}

void Database::read(const std::function<void(Connection&)>& work) {
  if (writing.database == this) {
    work(*writing.connection);
    return;
  }
  for (bool fresh = false;; fresh = true) {
    Lease connection(*this, fresh);
    try {
      work(*connection);
      return;
    } catch (const SqlError& error) {
      if (error.connection_lost() && !fresh) continue;
      if (error.connection_lost()) throw unavailable("the database connection broke again");
      if (error.timed_out()) throw timed_out(error);
      throw;
    }
  }
}

void Database::on_commit(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

bool Database::healthy() {
  try {
    bool answered = false;
    read([&](Connection& connection) { answered = connection.exec("SELECT 1").rows() == 1; });
    return answered;
  } catch (const std::exception&) {
    return false;
  }
}

DatabaseStats Database::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace shop::postgres
