#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/catalog/ports.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/paging.hpp"
#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// The catalog's facade: the only way other modules and adapters use it.
namespace shop::catalog {

struct ProductView {
  std::string id;
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
  std::int64_t version = 0;
  Timestamp created_at;
  Timestamp updated_at;
};

struct ProductInput {
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
};

struct ProductQuery {
  std::string category;
  std::string search;
  std::string cursor;
  std::size_t limit = default_page_size;
};

struct ProductPage {
  std::vector<ProductView> items;
  std::optional<std::string> next_cursor;
};

// Synchronous port for modules that price or check products (order, stock).
class ProductLookup {
 public:
  virtual ~ProductLookup() = default;
  // The product when it exists and is not deleted.
  virtual std::optional<ProductView> find_active(const std::string& product_id) = 0;
};

class CatalogApi : public ProductLookup {
 public:
  // Failure(invalid) on a field or a price in another currency than the
  // shop's, Failure(conflict) on a taken sku.
  virtual ProductView create(const ProductInput& input) = 0;
  // `expected_version` 0 means "whatever the current version is".
  // Failure(not_found), Failure(stale_version), Failure(invalid), Failure(conflict).
  virtual ProductView update(const std::string& id, const ProductInput& input,
                             std::int64_t expected_version) = 0;
  virtual void remove(const std::string& id, std::int64_t expected_version) = 0;
  // Failure(not_found) when unknown or deleted.
  virtual ProductView get(const std::string& id) = 0;
  // Failure(invalid) on a bad limit, search or cursor.
  virtual ProductPage list(const ProductQuery& query) = 0;
  // Background work: one small step of merging the search index, whose
  // pieces (one per batch of writes) each cost every search a lookup.
  // True while there is more to merge.
  virtual bool compact_search_index() = 0;
};

struct CatalogDependencies {
  CatalogStore& store;
  Clock& clock;
  IdGenerator& ids;
  // Every price must be in the shop's currency, so that totals add up.
  std::string currency = "KRW";
};

std::unique_ptr<CatalogApi> make_catalog_service(CatalogDependencies dependencies);

}  // namespace shop::catalog
