#include "adapters/postgres/identity/postgres_identity_store.hpp"

#include <stdexcept>

#include "domain/shared/failure.hpp"

namespace shop::postgres {

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
    created_at BIGINT NOT NULL
  );
  CREATE TABLE identity_tokens (
    digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES identity_users (id),
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX identity_tokens_expiry ON identity_tokens (expires_at);
)sql";

constexpr const char* select_user_by_id =
    "SELECT id, email, name, role, password_hash, created_at FROM identity_users WHERE id = $1";
constexpr const char* select_user_by_email =
    "SELECT id, email, name, role, password_hash, created_at FROM identity_users WHERE email = $1";
constexpr const char* insert_user =
    "INSERT INTO identity_users (id, email, name, role, password_hash, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr const char* insert_token =
    "INSERT INTO identity_tokens (digest, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)";
constexpr const char* delete_expired_tokens = "DELETE FROM identity_tokens WHERE expires_at <= $1";
constexpr const char* select_token =
    "SELECT user_id, expires_at, created_at FROM identity_tokens WHERE digest = $1";

std::optional<User> user_where(Connection& connection, const char* sql, const std::string& key) {
  auto rows = connection.exec(sql, {param(key)});
  if (rows.empty()) return std::nullopt;
  auto role = identity::role_from_string(rows.text(0, 3));
  if (!role) throw std::runtime_error("unknown role stored for user " + key);
  return User{rows.text(0, 0), rows.text(0, 1), rows.text(0, 2), *role, rows.text(0, 4),
              from_unix_millis(rows.integer(0, 5))};
}

class Transaction final : public OutboxTransaction<identity::IdentityTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  void insert(const User& user) override {
    try {
      connection_.exec(insert_user,
                       {param(user.id), param(user.email), param(user.name),
                        param(identity::to_string(user.role)), param(user.password_hash),
                        param(unix_millis(user.created_at))});
    } catch (const SqlError& error) {
      if (!error.unique_violation()) throw;
      throw Failure(FailureKind::conflict, "email_taken", "this email is already registered");
    }
  }

  void insert(const TokenRecord& token) override {
    // Expired tokens are swept on the way: logins are rare next to requests.
    connection_.exec(delete_expired_tokens, {param(unix_millis(token.created_at))});
    connection_.exec(insert_token, {param(token.digest), param(token.user_id),
                                    param(unix_millis(token.expires_at)),
                                    param(unix_millis(token.created_at))});
  }
};

}  // namespace

ModuleSchema identity_schema() {
  return ModuleSchema{"identity", {{1, schema_v1}, event_tables_migration(2, "identity")}};
}

PostgresIdentityStore::PostgresIdentityStore(Database& database)
    : database_(database), outbox_(database, "identity") {}

void PostgresIdentityStore::write(
    const std::function<void(identity::IdentityTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<User> PostgresIdentityStore::user_by_id(const std::string& id) {
  std::optional<User> user;
  database_.read([&](Connection& connection) {
    user = user_where(connection, select_user_by_id, id);
  });
  return user;
}

std::optional<User> PostgresIdentityStore::user_by_email(const std::string& normalized_email) {
  std::optional<User> user;
  database_.read([&](Connection& connection) {
    user = user_where(connection, select_user_by_email, normalized_email);
  });
  return user;
}

std::optional<TokenRecord> PostgresIdentityStore::token(const std::string& digest) {
  std::optional<TokenRecord> token;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_token, {param(digest)});
    if (rows.empty()) return;
    token = TokenRecord{digest, rows.text(0, 0), from_unix_millis(rows.integer(0, 1)),
                        from_unix_millis(rows.integer(0, 2))};
  });
  return token;
}

}  // namespace shop::postgres
