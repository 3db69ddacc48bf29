#include "adapters/sqlite/identity/sqlite_identity_store.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "adapters/sqlite/time_codec.hpp"
#include "domain/shared/failure.hpp"

namespace shop::sqlite {

namespace {

using identity::TokenRecord;
using identity::User;

constexpr const char* schema_v1 = R"sql(
  CREATE TABLE identity_users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE identity_tokens (
    digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES identity_users (id),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX identity_tokens_expiry ON identity_tokens (expires_at);
)sql";

constexpr const char* select_user_by_id =
    "SELECT id, email, name, role, password_hash, created_at FROM identity_users WHERE id = ?";
constexpr const char* select_user_by_email =
    "SELECT id, email, name, role, password_hash, created_at FROM identity_users WHERE email = ?";
constexpr const char* insert_user =
    "INSERT INTO identity_users (id, email, name, role, password_hash, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* insert_token =
    "INSERT INTO identity_tokens (digest, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)";
constexpr const char* delete_expired_tokens = "DELETE FROM identity_tokens WHERE expires_at <= ?";
constexpr const char* select_token =
    "SELECT user_id, expires_at, created_at FROM identity_tokens WHERE digest = ?";

std::optional<User> user_where(Connection& connection, const char* sql, const std::string& key) {
  auto statement = connection.prepare(sql);
  statement->bind(1, key);
  if (!statement->executeStep()) return std::nullopt;
  auto role = identity::role_from_string(statement->getColumn(3).getString());
  if (!role) throw std::runtime_error("unknown role stored for user " + key);
  return User{statement->getColumn(0).getString(), statement->getColumn(1).getString(),
              statement->getColumn(2).getString(), *role,
              statement->getColumn(4).getString(),
              from_millis(statement->getColumn(5).getInt64())};
}

class Transaction final : public OutboxTransaction<identity::IdentityTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  void insert(const User& user) override {
    try {
      auto statement = connection_.prepare(insert_user);
      statement->bind(1, user.id);
      statement->bind(2, user.email);
      statement->bind(3, user.name);
      statement->bind(4, identity::to_string(user.role));
      statement->bind(5, user.password_hash);
      statement->bind(6, to_millis(user.created_at));
      statement->exec();
    } catch (const SQLite::Exception& error) {
      if (error.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) throw;
      throw Failure(FailureKind::conflict, "email_taken", "this email is already registered");
    }
  }

  void insert(const TokenRecord& token) override {
    // Expired tokens are swept on the way: logins are rare next to requests.
    auto sweep = connection_.prepare(delete_expired_tokens);
    sweep->bind(1, to_millis(token.created_at));
    sweep->exec();
    auto statement = connection_.prepare(insert_token);
    statement->bind(1, token.digest);
    statement->bind(2, token.user_id);
    statement->bind(3, to_millis(token.expires_at));
    statement->bind(4, to_millis(token.created_at));
    statement->exec();
  }

};

}  // namespace

ModuleSchema identity_schema() {
  return ModuleSchema{"identity", {{1, schema_v1}, event_tables_migration(2, "identity"),
                                 parked_events_migration(3, "identity")}};
}

SqliteIdentityStore::SqliteIdentityStore(Database& database)
    : database_(database), outbox_(database, "identity") {}

void SqliteIdentityStore::write(
    const std::function<void(identity::IdentityTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<User> SqliteIdentityStore::user_by_id(const std::string& id) {
  return user_where(database_.reader(), select_user_by_id, id);
}

std::optional<User> SqliteIdentityStore::user_by_email(const std::string& normalized_email) {
  return user_where(database_.reader(), select_user_by_email, normalized_email);
}

std::optional<TokenRecord> SqliteIdentityStore::token(const std::string& digest) {
  auto statement = database_.reader().prepare(select_token);
  statement->bind(1, digest);
  if (!statement->executeStep()) return std::nullopt;
  return TokenRecord{digest, statement->getColumn(0).getString(),
                     from_millis(statement->getColumn(1).getInt64()),
                     from_millis(statement->getColumn(2).getInt64())};
}

}  // namespace shop::sqlite
