#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/outbox.hpp"
#include "application/identity/ports.hpp"

namespace shop::sqlite {

ModuleSchema identity_schema();

class SqliteIdentityStore final : public identity::IdentityStore {
 public:
  explicit SqliteIdentityStore(Database& database);

  void write(const std::function<void(identity::IdentityTransaction&)>& work) override;
  std::optional<identity::User> user_by_id(const std::string& id) override;
  std::optional<identity::User> user_by_email(const std::string& normalized_email) override;
  std::optional<identity::TokenRecord> token(const std::string& digest) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  SqliteOutbox outbox_;
};

}  // namespace shop::sqlite
