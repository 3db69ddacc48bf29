#include "adapters/postgres/connection.hpp"

#include <libpq-fe.h>

#include <charconv>
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

std::int64_t Result::affected() const {
  const char* count = PQcmdTuples(result_);
  return *count ? std::stoll(count) : 0;
}

namespace {

// Without these, a dead server or a half-open TCP connection holds a
// request for minutes. They come before the `dbname` entry, which libpq
// expands into the keywords of the connection string: a repeated keyword
// keeps its last value, so the operator's own settings win.
pg_conn* connect(const std::string& conninfo) {
  const char* const keywords[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                                  "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                  "dbname",              nullptr};
  const char* const values[] = {"5", "1", "10", "5", "3", "15000", conninfo.c_str(), nullptr};
  return PQconnectdbParams(keywords, values, 1);
}

// Class 08 (connection exception), and the server shutting down or not
// yet accepting (57P01, 57P02, 57P03).
bool connection_failure(const std::string& sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

}  // namespace

Connection::Connection(const DatabaseSettings& settings) : connection_(connect(settings.conninfo)) {
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

bool Connection::usable() const { return !lost_ && PQstatus(connection_) == CONNECTION_OK; }

Result Connection::checked(pg_result* result, const std::string& sql) {
  auto status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(result);
  // Copied before PQclear frees the result they point into.
  const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = field ? field : "";
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(connection_);
  if (result) PQclear(result);
  // libpq may report the server's last message before it sees the socket
  // close: the SQLSTATE says so too.
  if (PQstatus(connection_) != CONNECTION_OK || connection_failure(state)) lost_ = true;
  throw SqlError(state, message + " (in: " + sql.substr(0, 120) + ")", lost_);
}

Result Connection::exec(const std::string& sql, const std::vector<Param>& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    checked(PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr), sql);
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& value : params) values.push_back(value ? value->c_str() : nullptr);
  return checked(PQexecPrepared(connection_, found->second.c_str(), int(values.size()),
                                values.data(), nullptr, nullptr, 0),
                 sql);
}

void Connection::run(const std::string& sql) { checked(PQexec(connection_, sql.c_str()), sql); }

}  // namespace shop::postgres
