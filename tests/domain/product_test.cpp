#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/catalog/product.hpp"
#include "failure_check.hpp"

using namespace shop;
using namespace shop::catalog;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};

ProductDetails tea() {
  return ProductDetails{"TEA-001", "Green tea", "Loose leaf, 100 g", Money{12'000, "KRW"}, "tea"};
}

std::string repeat(const std::string& unit, std::size_t times) {
  std::string text;
  for (std::size_t i = 0; i < times; ++i) text += unit;
  return text;
}

}  // namespace

TEST_CASE("a new product is active at version 1 with its details") {
  Product product = Product::create("p-1", tea(), t0);
  CHECK(product.id() == "p-1");
  CHECK(product.active());
  CHECK(product.version() == 1);
  CHECK(product.created_at() == t0);
  CHECK(product.updated_at() == t0);
  CHECK(product.details().sku == "TEA-001");
  CHECK(product.details().price == Money{12'000, "KRW"});
}

TEST_CASE("sku accepts letters, digits, '-', '_', '.' and 1 to 64 bytes") {
  for (const std::string& sku : std::vector<std::string>{"a", "Az09-_.", repeat("X", 64)}) {
    CAPTURE(sku);
    ProductDetails details = tea();
    details.sku = sku;
    CHECK_NOTHROW(validate(details));
  }
  for (const std::string& sku : std::vector<std::string>{"", repeat("X", 65), "TEA 001", "TEA/001",
                                                        "TEA@1", "녹차", "TEA\n1", "TEA+1"}) {
    CAPTURE(sku);
    ProductDetails details = tea();
    details.sku = sku;
    CHECK_INVALID_FIELD("sku", validate(details));
  }
}

TEST_CASE("name length is counted in code points, not bytes") {
  ProductDetails details = tea();
  // 200 Hangul syllables are 600 bytes: still within the 200-character limit.
  details.name = repeat("녹", 200);
  CHECK_NOTHROW(validate(details));
  details.name = repeat("녹", 201);
  CHECK_INVALID_FIELD("name", validate(details));
  details.name = repeat("n", 200);
  CHECK_NOTHROW(validate(details));
  details.name = repeat("n", 201);
  CHECK_INVALID_FIELD("name", validate(details));
}

TEST_CASE("name must be non-empty, single-line, valid UTF-8") {
  for (const std::string name : {"", "Green\ntea", "Green\ttea", "Green\x1Btea", "\xC3\x28"}) {
    CAPTURE(name);
    ProductDetails details = tea();
    details.name = name;
    CHECK_INVALID_FIELD("name", validate(details));
  }
}

TEST_CASE("description may be empty or multi-line, up to 4000 code points") {
  ProductDetails details = tea();
  details.description = "";
  CHECK_NOTHROW(validate(details));
  details.description = "line one\nline two\r\n\tindented";
  CHECK_NOTHROW(validate(details));
  details.description = repeat("설", 4000);
  CHECK_NOTHROW(validate(details));
  details.description = repeat("설", 4001);
  CHECK_INVALID_FIELD("description", validate(details));
  details.description = "bell\x07";
  CHECK_INVALID_FIELD("description", validate(details));
}

TEST_CASE("category may be empty, at most 64 code points") {
  ProductDetails details = tea();
  details.category = "";
  CHECK_NOTHROW(validate(details));
  details.category = repeat("차", 64);
  CHECK_NOTHROW(validate(details));
  details.category = repeat("차", 65);
  CHECK_INVALID_FIELD("category", validate(details));
}

TEST_CASE("price must be non-negative, bounded, in an ISO currency") {
  ProductDetails details = tea();
  details.price = Money{0, "KRW"};
  CHECK_NOTHROW(validate(details));
  details.price = Money{max_money_amount, "USD"};
  CHECK_NOTHROW(validate(details));
  details.price = Money{-1, "KRW"};
  CHECK_INVALID_FIELD("price.amount", validate(details));
  details.price = Money{max_money_amount + 1, "KRW"};
  CHECK_INVALID_FIELD("price.amount", validate(details));
  for (const std::string currency : {"", "krw", "KR", "KRWW", "K1W", "원"}) {
    CAPTURE(currency);
    details.price = Money{100, currency};
    CHECK_INVALID_FIELD("price.currency", validate(details));
  }
}

TEST_CASE("create refuses invalid details") {
  ProductDetails details = tea();
  details.sku = "";
  CHECK_INVALID_FIELD("sku", Product::create("p-1", details, t0));
}

TEST_CASE("update replaces the details and bumps the version") {
  Product product = Product::create("p-1", tea(), t0);
  ProductDetails changed = tea();
  changed.name = "Green tea, first flush";
  changed.price = Money{15'000, "KRW"};

  product.update(changed, 1, t0 + 5s);
  CHECK(product.version() == 2);
  CHECK(product.details().name == "Green tea, first flush");
  CHECK(product.details().price.amount == 15'000);
  CHECK(product.updated_at() == t0 + 5s);
  CHECK(product.created_at() == t0);

  // No If-Match: any current version is accepted.
  product.update(tea(), Product::any_version, t0 + 6s);
  CHECK(product.version() == 3);
}

TEST_CASE("update with a stale expected version fails and changes nothing") {
  Product product = Product::create("p-1", tea(), t0);
  product.update(tea(), 1, t0 + 1s);
  ProductDetails changed = tea();
  changed.name = "Other";

  CHECK_FAILURE(FailureKind::stale_version, "stale_version", product.update(changed, 1, t0 + 2s));
  CHECK_FAILURE(FailureKind::stale_version, "stale_version", product.update(changed, 3, t0 + 2s));
  CHECK_FAILURE(FailureKind::stale_version, "stale_version", product.remove(1, t0 + 2s));
  CHECK(product.version() == 2);
  CHECK(product.details().name == "Green tea");
  CHECK(product.active());
  CHECK(product.updated_at() == t0 + 1s);
}

TEST_CASE("update with invalid details keeps the product as it was") {
  Product product = Product::create("p-1", tea(), t0);
  ProductDetails broken = tea();
  broken.price.amount = -5;
  CHECK_INVALID_FIELD("price.amount", product.update(broken, 1, t0 + 1s));
  CHECK(product.version() == 1);
  CHECK(product.details().price.amount == 12'000);
}

TEST_CASE("remove is a soft delete that bumps the version") {
  Product product = Product::create("p-1", tea(), t0);
  product.remove(1, t0 + 1s);
  CHECK_FALSE(product.active());
  CHECK(product.version() == 2);
  CHECK(product.updated_at() == t0 + 1s);
  CHECK(product.details().sku == "TEA-001");
}

TEST_CASE("a deleted product is not_found for update and remove, whatever the version") {
  Product product = Product::create("p-1", tea(), t0);
  product.remove(Product::any_version, t0 + 1s);
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", product.update(tea(), 2, t0 + 2s));
  // A stale version on a deleted product still reads as gone, not as stale.
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", product.update(tea(), 1, t0 + 2s));
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", product.remove(0, t0 + 2s));
  CHECK(product.version() == 2);
}

TEST_CASE("restore rebuilds a stored product as it was") {
  Product product = Product::restore("p-9", tea(), false, 7, t0, t0 + 1h);
  CHECK(product.id() == "p-9");
  CHECK_FALSE(product.active());
  CHECK(product.version() == 7);
  CHECK(product.created_at() == t0);
  CHECK(product.updated_at() == t0 + 1h);
}
