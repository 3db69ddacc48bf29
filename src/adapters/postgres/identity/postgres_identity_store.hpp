#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/outbox.hpp"
#include "application/identity/ports.hpp"

namespace shop::postgres {

ModuleSchema identity_schema();

class PostgresIdentityStore final : public identity::IdentityStore {
 public:
  explicit PostgresIdentityStore(Database& database);

  void write(const std::function<void(identity::IdentityTransaction&)>& work) override;
  std::optional<identity::User> user_by_id(const std::string& id) override;
  std::optional<identity::User> user_by_email(const std::string& normalized_email) override;
  std::optional<identity::TokenRecord> token(const std::string& digest) override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  PostgresOutbox outbox_;
};

}  // namespace shop::postgres
