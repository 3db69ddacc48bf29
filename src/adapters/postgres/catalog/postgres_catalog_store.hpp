#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/outbox.hpp"
#include "application/catalog/ports.hpp"

namespace shop::postgres {

ModuleSchema catalog_schema();

class PostgresCatalogStore final : public catalog::CatalogStore {
 public:
  explicit PostgresCatalogStore(Database& database);

  void write(const std::function<void(catalog::CatalogTransaction&)>& work) override;
  std::optional<catalog::Product> find(const std::string& id) override;
  std::vector<catalog::Product> list(const catalog::ProductFilter& filter) override;
  bool compact_search_index() override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  PostgresOutbox outbox_;
};

}  // namespace shop::postgres
