#pragma once

#include <map>
#include <string>
#include <vector>

#include "adapters/memory/outbox_store.hpp"
#include "application/catalog/ports.hpp"

namespace shop::memory {

struct MemoryCatalogState {
  std::map<std::string, catalog::Product> products;
  // Ids in creation order, which searches page in (SQLite's seq).
  std::vector<std::string> created;
  EventTables events;
};

class MemoryCatalogStore final : public catalog::CatalogStore,
                                 public OutboxStore<MemoryCatalogState> {
 public:
  void write(const std::function<void(catalog::CatalogTransaction&)>& work) override;
  std::optional<catalog::Product> find(const std::string& id) override;
  std::vector<catalog::Product> list(const catalog::ProductFilter& filter) override;
  // Nothing to merge: the search here is a scan.
  bool compact_search_index() override { return false; }
};

}  // namespace shop::memory
