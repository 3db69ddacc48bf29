#include "adapters/postgres/connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

namespace shop::postgres {

Result::Result(pg_result* result) : result_(result) {}
Result::~Result() {
  if (result_) PQclear(result_);
}
Result::Result(Result&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

int Result::rows() const { return PQntuples(result_); }
bool Result::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), std::size_t(PQgetlength(result_, row, column)));
}

std::int64_t Result::integer(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  const char* end = value + PQgetlength(result_, row, column);
  std::int64_t number = 0;
  auto [stop, error] = std::from_chars(value, end, number);
  if (error != std::errc() || stop != end) {
    throw std::runtime_error(std::string("not an integer in a result: ") + value);
  }
  return number;
}

// A BOOLEAN in libpq's text format: "t" or "f".
bool Result::boolean(int row, int column) const {
  return PQgetvalue(result_, row, column)[0] == 't';
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::string Result::command() const { return PQcmdStatus(result_); }

std::int64_t Result::affected() const {
  const char* count = PQcmdTuples(result_);
  return *count ? std::stoll(count) : 0;
}

namespace {

// Without these, a dead server or a half-open TCP connection holds a
// request for minutes. They come before the `dbname` entry, which libpq
// expands into the keywords of the connection string: a repeated keyword
// keeps its last value, so the operator's own settings win.
pg_conn* connect(const DatabaseSettings& settings) {
  const char* const keywords[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                                  "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                  "dbname",              nullptr};
  std::string unacknowledged = std::to_string(settings.tcp_user_timeout.count());
  const char* const values[] = {"5",  "1", "10", "5", "3", unacknowledged.c_str(),
                                settings.conninfo.c_str(), nullptr};
  return PQconnectdbParams(keywords, values, 1);
}

// Class 08 (connection exception), the server shutting down or not yet
// accepting (57P01, 57P02, 57P03), and the server ending the session
// (25P03 idle in a transaction too long, 57P05 idle too long).
bool connection_failure(const std::string& sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03" || sqlstate == "25P03" || sqlstate == "57P05";
}

}  // namespace

Connection::Connection(const DatabaseSettings& settings) : connection_(connect(settings)) {
  if (PQstatus(connection_) != CONNECTION_OK) {
    std::string error = PQerrorMessage(connection_);
    PQfinish(connection_);
    throw std::runtime_error("cannot connect to PostgreSQL: " + error);
  }
  // Notices and warnings (a DROP ... CASCADE's list, a ROLLBACK after a
  // COMMIT that failed) are not errors: libpq would print them on stderr.
  PQsetNoticeProcessor(connection_, [](void*, const char*) {}, nullptr);
  try {
    run("SET statement_timeout = " + std::to_string(settings.statement_timeout.count()) +
        "; SET lock_timeout = " + std::to_string(settings.lock_timeout.count()) +
        "; SET idle_in_transaction_session_timeout = " +
        std::to_string(settings.idle_in_transaction_timeout.count()));
    if (!settings.schema.empty()) {
      exec("SELECT set_config('search_path', $1, false)", {param(settings.schema)});
    }
  } catch (...) {
    PQfinish(connection_);  // no destructor runs for a constructor that throws
    throw;
  }
}

Connection::~Connection() { PQfinish(connection_); }

// A connection left inside a transaction, or with statements it never
// sent, would lend them to the next user.
bool Connection::usable() const {
  return !broken_ && PQstatus(connection_) == CONNECTION_OK &&
         PQtransactionStatus(connection_) == PQTRANS_IDLE && queued_.empty();
}

namespace {

using Owned = std::unique_ptr<pg_result, decltype(&PQclear)>;

bool succeeded(const pg_result* result) {
  auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

SqlError error_of(const pg_result* result, const std::string& sql) {
  const char* field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return SqlError(field ? field : "",
                  PQresultErrorMessage(result) + (" (in: " + sql.substr(0, 120) + ")"));
}

}  // namespace

void Connection::broken(const std::string& what) {
  broken_ = true;
  pending_.clear();
  queued_.clear();
  throw SqlError("08006", what + ": " + PQerrorMessage(connection_), true);
}

// libpq may report the server's last message before it sees the socket
// close: the SQLSTATE says so too.
void Connection::fail(const SqlError& error) {
  if (PQstatus(connection_) != CONNECTION_OK || connection_failure(error.sqlstate())) {
    broken_ = true;
    throw SqlError(error.sqlstate(), error.what(), true);
  }
  throw error;
}

void Connection::send(const std::string& sql, const std::vector<Param>& params) {
  if (PQpipelineStatus(connection_) == PQ_PIPELINE_OFF && !PQenterPipelineMode(connection_)) {
    broken("cannot enter pipeline mode");
  }
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    // Numbered, not counted: a name whose preparation failed is not reused.
    std::string name = "s" + std::to_string(++statements_named_);
    if (!PQsendPrepare(connection_, name.c_str(), sql.c_str(), 0, nullptr)) {
      broken("cannot send a statement");
    }
    found = prepared_.emplace(sql, std::move(name)).first;
    pending_.push_back({sql, found->second});
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& value : params) values.push_back(value ? value->c_str() : nullptr);
  if (!PQsendQueryPrepared(connection_, found->second.c_str(), int(values.size()), values.data(),
                           nullptr, nullptr, 0)) {
    broken("cannot send a statement");
  }
  pending_.push_back({sql, ""});
}

void Connection::send_queued() {
  auto queued = std::exchange(queued_, {});
  for (const auto& statement : queued) send(statement.sql, statement.params);
}

Result Connection::sync() {
  if (!PQpipelineSync(connection_)) broken("cannot send to the server");
  std::optional<SqlError> failure;
  Owned last(nullptr, &PQclear);
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Owned result(PQgetResult(connection_), &PQclear);
    if (!result) broken("the server's answer ended early");
    if (!succeeded(result.get())) {
      // A failed or skipped PREPARE left no statement by that name.
      if (!pending_[i].prepared.empty()) prepared_.erase(pending_[i].sql);
      if (PQresultStatus(result.get()) != PGRES_PIPELINE_ABORTED && !failure) {
        failure = error_of(result.get(), pending_[i].sql);
      }
    }
    if (i + 1 == pending_.size()) last = std::move(result);
    if (Owned extra{PQgetResult(connection_), &PQclear}) broken("an unexpected answer");
  }
  pending_.clear();
  Owned end(PQgetResult(connection_), &PQclear);
  if (!end || PQresultStatus(end.get()) != PGRES_PIPELINE_SYNC) {
    broken("the server's answer ended early");
  }
  if (failure) fail(*failure);
  return Result(last.release());
}

Result Connection::exec(const std::string& sql, const std::vector<Param>& params) {
  send_queued();
  send(sql, params);
  return sync();
}

void Connection::defer(const std::string& sql, const std::vector<Param>& params) {
  queued_.push_back({sql, params});
}

void Connection::rollback() {
  queued_.clear();
  // Nothing to end when not even BEGIN went to the server.
  if (PQtransactionStatus(connection_) != PQTRANS_IDLE) run("ROLLBACK");
}

void Connection::run(const std::string& sql) {
  if (!queued_.empty()) {
    send_queued();
    sync();
  }
  if (PQpipelineStatus(connection_) != PQ_PIPELINE_OFF && !PQexitPipelineMode(connection_)) {
    broken("cannot leave pipeline mode");
  }
  Owned result(PQexec(connection_, sql.c_str()), &PQclear);
  if (!result) broken("no answer");
  if (!succeeded(result.get())) fail(error_of(result.get(), sql));
}

}  // namespace shop::postgres
