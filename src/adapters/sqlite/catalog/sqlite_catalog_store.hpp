#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/outbox.hpp"
#include "application/catalog/ports.hpp"

namespace shop::sqlite {

ModuleSchema catalog_schema();

class SqliteCatalogStore final : public catalog::CatalogStore {
 public:
  explicit SqliteCatalogStore(Database& database);

  void write(const std::function<void(catalog::CatalogTransaction&)>& work) override;
  std::optional<catalog::Product> find(const std::string& id) override;
  std::vector<catalog::Product> list(const catalog::ProductFilter& filter) override;
  bool compact_search_index() override;

  Outbox& outbox() { return outbox_; }

 private:
  Database& database_;
  SqliteOutbox outbox_;
};

}  // namespace shop::sqlite
