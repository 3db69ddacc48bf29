#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace shop::postgres {

struct DatabaseSettings {
  // A libpq connection string: "host=db port=5432 dbname=shop user=shop".
  std::string conninfo;
  // Connections at most; a caller waits up to acquire_timeout for one.
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  // Each statement's limit on the server.
  std::chrono::milliseconds statement_timeout{10000};
  // A wait for a row or advisory lock gives up after this (503): below
  // statement_timeout, so that a lock held by a stuck holder fails fast.
  std::chrono::milliseconds lock_timeout{5000};
  // The server ends a session left idle inside a transaction this long,
  // releasing its locks: a replica frozen mid-transaction blocks no other.
  std::chrono::milliseconds idle_in_transaction_timeout{30000};
  // How long sent data may go unacknowledged before the connection counts
  // as broken (TCP_USER_TIMEOUT); `database.url` may say otherwise.
  std::chrono::milliseconds tcp_user_timeout{15000};
  // Schema the connections use (search_path); empty: the server's default.
  std::string schema;
};

// A statement's parameters, as text or NULL: libpq converts them on the
// server, so every statement is prepared with bound values.
using Param = std::optional<std::string>;
inline Param param(std::string text) { return Param(std::move(text)); }
inline Param param(const char* text) { return Param(std::string(text)); }
inline Param param(std::int64_t number) { return Param(std::to_string(number)); }
inline Param param(int number) { return Param(std::to_string(number)); }
inline Param param(bool flag) { return Param(flag ? "true" : "false"); }
inline Param param(const std::optional<std::string>& text) { return text; }

// The rows a statement returned. Owns its libpq result.
class Result {
 public:
  explicit Result(pg_result* result);
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;

  int rows() const;
  bool empty() const { return rows() == 0; }
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  bool boolean(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  // Rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;
  // The command's tag: "COMMIT", or "ROLLBACK" for a COMMIT of a failed
  // transaction.
  std::string command() const;

 private:
  pg_result* result_;
};

// Thrown for a failed statement, with its SQLSTATE ("40001" serialization
// failure, "40P01" deadlock, "23505" unique violation).
class SqlError : public std::runtime_error {
 public:
  SqlError(std::string sqlstate, const std::string& message, bool connection_lost = false)
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        connection_lost_(connection_lost) {}
  static constexpr const char* serialization_failure = "40001";
  const std::string& sqlstate() const { return sqlstate_; }
  // Another transaction won a race: the whole transaction may run again.
  bool retryable() const { return sqlstate_ == serialization_failure || sqlstate_ == "40P01"; }
  bool unique_violation() const { return sqlstate_ == "23505"; }
  // lock_timeout (55P03) or statement_timeout (57014) ended the statement.
  bool timed_out() const { return sqlstate_ == "55P03" || sqlstate_ == "57014"; }
  // The server connection is gone (the server stopped, ended the session,
  // or the network failed): the connection is of no further use.
  bool connection_lost() const { return connection_lost_; }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// One server connection and the statements it prepared, used by one
// thread at a time (the pool hands it out). Statements go in libpq's
// pipeline mode: those whose rows are not needed (BEGIN, most writes) wait
// on the client and go with the next one whose rows are, in one round trip.
class Connection {
 public:
  explicit Connection(const DatabaseSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Prepares `sql` ($1, $2... placeholders) on first use on this
  // connection, then runs it with `params`, after the deferred statements,
  // and returns its rows. The first of them to fail throws its SqlError.
  Result exec(const std::string& sql, const std::vector<Param>& params = {});
  // As exec(), but the statement waits on the client for the next exec()
  // and goes with it: for a statement whose rows are not needed. Its
  // failure throws from there.
  void defer(const std::string& sql, const std::vector<Param>& params = {});
  // Runs statements without parameters as they are (DDL: several
  // statements in one text), after what was deferred.
  void run(const std::string& sql);
  // Ends a transaction that failed: what was deferred is dropped with it.
  void rollback();
  // False once the server connection broke, or a transaction was left
  // open: the pool replaces it.
  bool usable() const;

 private:
  // A result the server owes: of a query, or of preparing `prepared`.
  struct Pending {
    std::string sql;
    std::string prepared;
  };

  struct Queued {
    std::string sql;
    std::vector<Param> params;
  };

  void send(const std::string& sql, const std::vector<Param>& params);
  void send_queued();
  // Ends the pipeline and reads every result it owes; the last one's rows.
  Result sync();
  // Throws `error`, marked as a lost connection when it is one.
  [[noreturn]] void fail(const SqlError& error);
  [[noreturn]] void broken(const std::string& what);

  pg_conn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  std::vector<Queued> queued_;    // deferred, not sent yet
  std::vector<Pending> pending_;  // sent, their results not read yet
  std::uint64_t statements_named_ = 0;
  bool broken_ = false;  // the server connection is of no further use
};

}  // namespace shop::postgres
