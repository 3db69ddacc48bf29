#include <utility>

#include "application/catalog/api.hpp"
#include "application/catalog/events.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::catalog {

namespace {

ProductView view_of(const Product& product) {
  const auto& d = product.details();
  return ProductView{product.id(), d.sku,  d.name, d.description, d.price, d.category,
                     product.version(), product.created_at(), product.updated_at()};
}

ProductDetails details_of(const ProductInput& input) {
  return ProductDetails{input.sku, input.name, input.description, input.price, input.category};
}

ProductSnapshot snapshot_of(const Product& product) {
  const auto& d = product.details();
  return ProductSnapshot{product.id(), d.sku,      d.name,           d.description,
                         d.price,      d.category, product.version()};
}

Failure product_not_found(const std::string& id) {
  return Failure(FailureKind::not_found, "product_not_found", "no product with id " + id);
}

class CatalogService final : public CatalogApi {
 public:
  explicit CatalogService(CatalogDependencies deps) : deps_(deps) {}

  ProductView create(const ProductInput& input) override {
    require_shop_currency(input);
    Product product = Product::create(deps_.ids.next(), details_of(input), deps_.clock.now());
    deps_.store.write([&](CatalogTransaction& tx) {
      tx.insert(product);
      tx.publish(make_envelope(ProductCreated{snapshot_of(product)}, deps_.ids.next(),
                               product.updated_at()));
    });
    return view_of(product);
  }

  ProductView update(const std::string& id, const ProductInput& input,
                     std::int64_t expected_version) override {
    require_shop_currency(input);
    std::optional<Product> updated;
    deps_.store.write([&](CatalogTransaction& tx) {
      updated = tx.find(id);
      if (!updated) throw product_not_found(id);
      updated->update(details_of(input), expected_version, deps_.clock.now());
      tx.update(*updated);
      tx.publish(make_envelope(ProductUpdated{snapshot_of(*updated)}, deps_.ids.next(),
                               updated->updated_at()));
    });
    return view_of(*updated);
  }

  void remove(const std::string& id, std::int64_t expected_version) override {
    deps_.store.write([&](CatalogTransaction& tx) {
      auto product = tx.find(id);
      if (!product) throw product_not_found(id);
      product->remove(expected_version, deps_.clock.now());
      tx.update(*product);
      tx.publish(make_envelope(ProductDeleted{product->id(), product->version()},
                               deps_.ids.next(), product->updated_at()));
    });
  }

  ProductView get(const std::string& id) override {
    auto product = find_active(id);
    if (!product) throw product_not_found(id);
    return *product;
  }

  std::optional<ProductView> find_active(const std::string& product_id) override {
    auto product = deps_.store.find(product_id);
    if (!product || !product->active()) return std::nullopt;
    return view_of(*product);
  }

  bool compact_search_index() override { return deps_.store.compact_search_index(); }

  ProductPage list(const ProductQuery& query) override {
    if (query.limit < 1 || query.limit > max_page_size) {
      throw invalid_field("limit", "must be between 1 and " + std::to_string(max_page_size));
    }
    validate_text(query.search, "q", 0, 100);
    validate_text(query.category, "category", 0, 64);
    validate_text(query.cursor, "cursor", 0, 100);
    // One row more than asked tells whether another page exists.
    ProductFilter filter{query.category, query.search, query.cursor, query.limit + 1};
    auto products = deps_.store.list(filter);
    ProductPage page;
    for (std::size_t i = 0; i < products.size() && i < query.limit; ++i) {
      page.items.push_back(view_of(products[i]));
    }
    if (products.size() > query.limit) page.next_cursor = page.items.back().id;
    return page;
  }

 private:
  void require_shop_currency(const ProductInput& input) const {
    if (is_currency_code(input.price.currency) && input.price.currency != deps_.currency) {
      throw invalid_field("price.currency", "must be the shop's currency, " + deps_.currency);
    }
  }

  CatalogDependencies deps_;
};

}  // namespace

std::unique_ptr<CatalogApi> make_catalog_service(CatalogDependencies dependencies) {
  return std::make_unique<CatalogService>(dependencies);
}

}  // namespace shop::catalog
