#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/catalog/product.hpp"

// What the catalog needs from the outside world; adapters implement these.
namespace shop::catalog {

// The work of one write transaction: all or nothing.
class CatalogTransaction {
 public:
  virtual ~CatalogTransaction() = default;
  // Deleted products included.
  virtual std::optional<Product> find(const std::string& id) = 0;
  // Both throw Failure(conflict, "sku_taken") when an active product already
  // has the sku.
  virtual void insert(const Product& product) = 0;
  virtual void update(const Product& product) = 0;
  // Appends to the catalog's outbox, committed with the rest.
  virtual void publish(const EventEnvelope& event) = 0;
};

struct ProductFilter {
  std::string category;     // empty: every category
  std::string search;       // empty: no search; else words matched as name prefixes
  std::string after_id;     // empty: from the start
  std::size_t limit = 20;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  // Runs `work` in one write transaction; commits when it returns, rolls
  // back when it throws (and rethrows). `work` may run more than once (a
  // transaction that lost a conflict runs again): it sets its results afresh.
  virtual void write(const std::function<void(CatalogTransaction&)>& work) = 0;
  virtual std::optional<Product> find(const std::string& id) = 0;
  // Active products matching the filter after `after_id`, ordered by id. A
  // search comes in creation order instead, the search index's own (ids are
  // time-ordered: in production the two agree); it resumes after the product
  // `after_id` names or, for any other string, after the greatest id below it.
  virtual std::vector<Product> list(const ProductFilter& filter) = 0;
  // Merges a small part of the search index (a few milliseconds of
  // writing); true while there is more to merge.
  virtual bool compact_search_index() = 0;
};

}  // namespace shop::catalog
