#include "adapters/sqlite/connection.hpp"

namespace shop::sqlite {

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

}  // namespace shop::sqlite
