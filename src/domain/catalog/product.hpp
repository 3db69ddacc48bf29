#pragma once

#include <cstdint>
#include <string>

#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

namespace shop::catalog {

// What staff send to create or replace a product's details.
struct ProductDetails {
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
};

// Throws Failure(invalid) naming the first field that breaks a rule.
void validate(const ProductDetails& details);

// A product of the catalog. Versions start at 1 and grow with every change,
// which is what ETag / If-Match compare against.
class Product {
 public:
  static Product create(std::string id, ProductDetails details, Timestamp now);
  static Product restore(std::string id, ProductDetails details, bool active,
                         std::int64_t version, Timestamp created_at, Timestamp updated_at);

  // Throws Failure(stale_version) when `expected_version` is set and differs,
  // Failure(not_found) when the product was deleted.
  void update(ProductDetails details, std::int64_t expected_version, Timestamp now);
  void remove(std::int64_t expected_version, Timestamp now);

  const std::string& id() const { return id_; }
  const ProductDetails& details() const { return details_; }
  bool active() const { return active_; }
  std::int64_t version() const { return version_; }
  Timestamp created_at() const { return created_at_; }
  Timestamp updated_at() const { return updated_at_; }

  // Accepts any version: callers pass this when the client sent no If-Match.
  static constexpr std::int64_t any_version = 0;

 private:
  Product(std::string id, ProductDetails details, bool active, std::int64_t version,
          Timestamp created_at, Timestamp updated_at);
  void check_version(std::int64_t expected_version) const;

  std::string id_;
  ProductDetails details_;
  bool active_;
  std::int64_t version_;
  Timestamp created_at_;
  Timestamp updated_at_;
};

}  // namespace shop::catalog
