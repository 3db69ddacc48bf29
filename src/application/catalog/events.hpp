#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/shared/money.hpp"

// The catalog's integration events: the only catalog types other modules may
// rely on besides api.hpp. Field names are a wire contract; a change that is
// not additive needs a new `.v2` type.
namespace shop::catalog {

struct ProductSnapshot {
  std::string product_id;
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
  std::int64_t version = 0;

  friend bool operator==(const ProductSnapshot&, const ProductSnapshot&) = default;
};

struct ProductCreated {
  static constexpr const char* type = "shop.catalog.product_created.v1";
  static constexpr const char* source = "/shopbox/catalog";
  ProductSnapshot product;
  std::string subject() const { return product.product_id; }
};

struct ProductUpdated {
  static constexpr const char* type = "shop.catalog.product_updated.v1";
  static constexpr const char* source = "/shopbox/catalog";
  ProductSnapshot product;
  std::string subject() const { return product.product_id; }
};

struct ProductDeleted {
  static constexpr const char* type = "shop.catalog.product_deleted.v1";
  static constexpr const char* source = "/shopbox/catalog";
  std::string product_id;
  std::int64_t version = 0;
  std::string subject() const { return product_id; }
};

std::string encode(const ProductCreated& event);
std::string encode(const ProductUpdated& event);
std::string encode(const ProductDeleted& event);
// Throw std::runtime_error when `data` does not match the schema.
ProductCreated decode_product_created(std::string_view data);
ProductUpdated decode_product_updated(std::string_view data);
ProductDeleted decode_product_deleted(std::string_view data);

}  // namespace shop::catalog
