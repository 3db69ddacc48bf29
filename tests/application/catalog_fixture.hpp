#pragma once

#include <memory>
#include <string>

#include "adapters/memory/catalog/memory_catalog_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/catalog/api.hpp"

namespace shop::testing {

struct CatalogFixture {
  memory::MemoryCatalogStore store;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<catalog::CatalogApi> catalog =
      catalog::make_catalog_service({store, clock, ids});

  static catalog::ProductInput input(std::string sku, std::string name = "Green tea",
                                     std::string category = "tea") {
    return catalog::ProductInput{std::move(sku), std::move(name), "Loose leaf",
                                 Money{12'000, "KRW"}, std::move(category)};
  }
};

}  // namespace shop::testing
