#include "domain/catalog/product.hpp"

#include <utility>

#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::catalog {

namespace {

bool is_sku_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

}  // namespace

void validate(const ProductDetails& details) {
  if (details.sku.empty() || details.sku.size() > 64) {
    throw invalid_field("sku", "must be 1 to 64 characters");
  }
  for (char c : details.sku) {
    if (!is_sku_character(c)) {
      throw invalid_field("sku", "may contain only letters, digits, '-', '_' and '.'");
    }
  }
  validate_text(details.name, "name", 1, 200);
  validate_text(details.description, "description", 0, 4000, true);
  validate_text(details.category, "category", 0, 64);
  validate_money(details.price, "price");
}

Product::Product(std::string id, ProductDetails details, bool active, std::int64_t version,
                 Timestamp created_at, Timestamp updated_at)
    : id_(std::move(id)),
      details_(std::move(details)),
      active_(active),
      version_(version),
      created_at_(created_at),
      updated_at_(updated_at) {}

Product Product::create(std::string id, ProductDetails details, Timestamp now) {
  validate(details);
  return Product(std::move(id), std::move(details), true, 1, now, now);
}

Product Product::restore(std::string id, ProductDetails details, bool active,
                         std::int64_t version, Timestamp created_at, Timestamp updated_at) {
  return Product(std::move(id), std::move(details), active, version, created_at, updated_at);
}

void Product::check_version(std::int64_t expected_version) const {
  if (!active_) throw Failure(FailureKind::not_found, "product_not_found", "no such product");
  if (expected_version != any_version && expected_version != version_) {
    throw Failure(FailureKind::stale_version, "stale_version",
                  "the product is at version " + std::to_string(version_) +
                      ", not the version in If-Match");
  }
}

void Product::update(ProductDetails details, std::int64_t expected_version, Timestamp now) {
  check_version(expected_version);
  validate(details);
  details_ = std::move(details);
  ++version_;
  updated_at_ = now;
}

void Product::remove(std::int64_t expected_version, Timestamp now) {
  check_version(expected_version);
  active_ = false;
  ++version_;
  updated_at_ = now;
}

}  // namespace shop::catalog
