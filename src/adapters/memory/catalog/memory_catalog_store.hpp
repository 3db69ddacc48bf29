#pragma once

#include <map>

#include "adapters/memory/copy_on_write.hpp"
#include "adapters/memory/event_tables.hpp"
#include "application/catalog/ports.hpp"

namespace shop::memory {

class MemoryCatalogStore final : public catalog::CatalogStore, public Outbox {
 public:
  void write(const std::function<void(catalog::CatalogTransaction&)>& work) override;
  std::optional<catalog::Product> find(const std::string& id) override;
  std::vector<catalog::Product> list(const catalog::ProductFilter& filter) override;

  std::vector<OutboxRecord> unpublished(std::size_t limit) override;
  void mark_published(std::int64_t sequence) override;

 private:
  struct State {
    std::map<std::string, catalog::Product> products;
    EventTables events;
  };
  CopyOnWrite<State> state_;
};

}  // namespace shop::memory
