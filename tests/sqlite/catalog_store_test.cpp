#include <doctest/doctest.h>

#include "domain/shared/failure.hpp"
#include "sqlite/store_fixtures.hpp"

using namespace shop;
using catalog::Product;
using catalog::ProductDetails;
using catalog::ProductFilter;

namespace {

Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

Product product(const std::string& id, const std::string& sku, const std::string& name,
                const std::string& category = "tea") {
  return Product::create(id, ProductDetails{sku, name, "", Money{1000, "KRW"}, category}, at(1));
}

std::vector<std::string> ids(const std::vector<Product>& products) {
  std::vector<std::string> found;
  for (const auto& p : products) found.push_back(p.id());
  return found;
}

template <class Stores>
void insert(Stores& stores, const Product& p) {
  stores.catalog.write([&](catalog::CatalogTransaction& tx) { tx.insert(p); });
}

template <class Stores>
void remove(Stores& stores, const std::string& id) {
  auto gone = *stores.catalog.find(id);
  gone.remove(Product::any_version, at(5));
  stores.catalog.write([&](catalog::CatalogTransaction& tx) { tx.update(gone); });
}

// Every page of a listing, following the cursor (the last id of a full page).
template <class Stores>
std::vector<std::string> all_pages(Stores& stores, ProductFilter filter) {
  std::vector<std::string> seen;
  for (;;) {
    auto page = ids(stores.catalog.list(filter));
    seen.insert(seen.end(), page.begin(), page.end());
    if (page.size() < filter.limit) return seen;
    filter.after_id = page.back();
  }
}

}  // namespace

TEST_CASE_TEMPLATE("catalog store: products round-trip with every field", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  Product original = Product::create(
      "p1", ProductDetails{"TEA-001", "녹차 Green tea", "첫물차\nfirst flush", Money{4500, "KRW"}, "drinks"},
      at(1000));
  insert(stores, original);
  auto found = stores.catalog.find("p1");
  REQUIRE(found);
  CHECK(found->details().name == "녹차 Green tea");
  CHECK(found->details().description == "첫물차\nfirst flush");
  CHECK(found->details().price == Money{4500, "KRW"});
  CHECK(found->version() == 1);
  CHECK(found->created_at() == at(1000));
  CHECK_FALSE(stores.catalog.find("nope"));

  found->update(ProductDetails{"TEA-001", "Green tea", "", Money{5000, "KRW"}, "drinks"}, 1, at(2000));
  stores.catalog.write([&](catalog::CatalogTransaction& tx) { tx.update(*found); });
  auto updated = stores.catalog.find("p1");
  CHECK(updated->version() == 2);
  CHECK(updated->details().price.amount == 5000);
  CHECK(updated->updated_at() == at(2000));
}

TEST_CASE_TEMPLATE("catalog store: an active sku is unique, a deleted one is free again", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  insert(stores, product("p1", "TEA-001", "Green tea"));
  try {
    insert(stores, product("p2", "TEA-001", "Black tea"));
    FAIL("a second active product took the sku");
  } catch (const Failure& failure) {
    CHECK(failure.code() == "sku_taken");
  }
  auto first = *stores.catalog.find("p1");
  first.remove(Product::any_version, at(5));
  stores.catalog.write([&](catalog::CatalogTransaction& tx) { tx.update(first); });
  insert(stores, product("p2", "TEA-001", "Black tea"));
  CHECK(stores.catalog.find("p2"));
}

TEST_CASE_TEMPLATE("catalog store: listing pages by id, filters by category, skips deleted",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  insert(stores, product("a", "A", "Green tea", "tea"));
  insert(stores, product("b", "B", "Coffee beans", "coffee"));
  insert(stores, product("c", "C", "Black tea", "tea"));
  insert(stores, product("d", "D", "Oolong tea", "tea"));
  auto gone = *stores.catalog.find("c");
  gone.remove(Product::any_version, at(5));
  stores.catalog.write([&](catalog::CatalogTransaction& tx) { tx.update(gone); });

  CHECK(ids(stores.catalog.list(ProductFilter{"", "", "", 2})) == std::vector<std::string>{"a", "b"});
  CHECK(ids(stores.catalog.list(ProductFilter{"", "", "b", 10})) == std::vector<std::string>{"d"});
  CHECK(ids(stores.catalog.list(ProductFilter{"tea", "", "", 10})) == std::vector<std::string>{"a", "d"});
}

TEST_CASE_TEMPLATE("catalog store: search matches name words by prefix, safely", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  insert(stores, product("a", "A", "Green tea"));
  insert(stores, product("b", "B", "Greek yoghurt", "dairy"));
  insert(stores, product("c", "C", "제주 녹차"));

  CHECK(ids(stores.catalog.list(ProductFilter{"", "gre", "", 10})) == std::vector<std::string>{"a", "b"});
  CHECK(ids(stores.catalog.list(ProductFilter{"", "green TEA", "", 10})) == std::vector<std::string>{"a"});
  CHECK(ids(stores.catalog.list(ProductFilter{"tea", "gre", "", 10})) == std::vector<std::string>{"a"});
  CHECK(ids(stores.catalog.list(ProductFilter{"", "녹차", "", 10})) == std::vector<std::string>{"c"});
  CHECK(stores.catalog.list(ProductFilter{"", "coffee", "", 10}).empty());
  // FTS5 query syntax typed by a shopper must not become a query error.
  for (const char* hostile : {"\"", "gre*", "a OR b", "NEAR(", "-x", "col:val", "(", "^g"}) {
    INFO(hostile);
    CHECK_NOTHROW(stores.catalog.list(ProductFilter{"", hostile, "", 10}));
  }
  // A renamed product is found by its new name only.
  auto renamed = *stores.catalog.find("a");
  renamed.update(ProductDetails{"A", "Jasmine tea", "", Money{1000, "KRW"}, "tea"}, 1, at(9));
  stores.catalog.write([&](catalog::CatalogTransaction& tx) { tx.update(renamed); });
  CHECK(ids(stores.catalog.list(ProductFilter{"", "green", "", 10})).empty());
  CHECK(ids(stores.catalog.list(ProductFilter{"", "jas", "", 10})) == std::vector<std::string>{"a"});
}

TEST_CASE_TEMPLATE("catalog store: search pages hold each match once, in creation order", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  // Created out of id order, so that the two orders differ.
  insert(stores, product("m", "M", "Green tea"));
  insert(stores, product("c", "C", "Green coffee", "coffee"));
  insert(stores, product("d", "D", "Black tea"));
  insert(stores, product("x", "X", "Greek tea"));
  insert(stores, product("a", "A", "Green leaf tea"));
  insert(stores, product("q", "Q", "Green jasmine tea"));
  insert(stores, product("k", "K", "Grenadine", "syrup"));
  insert(stores, product("z", "Z", "Green rooibos"));
  insert(stores, product("b", "B", "Greenhouse mint"));
  remove(stores, "q");

  for (std::size_t limit : {1, 2, 3, 20}) {
    CAPTURE(limit);
    CHECK(all_pages(stores, ProductFilter{"", "gre", "", limit}) ==
          std::vector<std::string>{"m", "c", "x", "a", "k", "z", "b"});
    CHECK(all_pages(stores, ProductFilter{"tea", "gre", "", limit}) ==
          std::vector<std::string>{"m", "x", "a", "z", "b"});
    CHECK(all_pages(stores, ProductFilter{"tea", "green tea", "", limit}) ==
          std::vector<std::string>{"m", "a"});
  }
  // A cursor on a product deleted since resumes at its place.
  CHECK(ids(stores.catalog.list(ProductFilter{"", "gre", "q", 10})) ==
        std::vector<std::string>{"k", "z", "b"});
}

TEST_CASE_TEMPLATE("catalog store: a search resumes from an unknown cursor where the listing does",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  // Ids in creation order, as the production ids are.
  for (const char* id : {"p10", "p20", "p30", "p40"}) insert(stores, product(id, id, "Green tea"));

  CHECK(ids(stores.catalog.list(ProductFilter{"", "gre", "p25", 10})) ==
        std::vector<std::string>{"p30", "p40"});
  CHECK(ids(stores.catalog.list(ProductFilter{"tea", "gre", "p30x", 10})) ==
        std::vector<std::string>{"p40"});
  for (const char* cursor : {"p", "p0", "p25", "p30x", "p99", "zzz"}) {
    CAPTURE(cursor);
    CHECK(ids(stores.catalog.list(ProductFilter{"", "gre", cursor, 10})) ==
          ids(stores.catalog.list(ProductFilter{"", "", cursor, 10})));
  }
}

TEST_CASE_TEMPLATE("catalog store: a failed write keeps neither the product nor its event",
                   Stores, testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  EventEnvelope event{"e1", "shop.catalog.product_created.v1", "/shopbox/catalog", "p1", at(1), "{}"};
  CHECK_THROWS_AS(stores.catalog.write([&](catalog::CatalogTransaction& tx) {
                    tx.insert(product("p1", "A", "Green tea"));
                    tx.publish(event);
                    throw std::runtime_error("crash before commit");
                  }),
                  std::runtime_error);
  CHECK_FALSE(stores.catalog.find("p1"));
  CHECK(stores.catalog_outbox().unpublished(10).empty());

  stores.catalog.write([&](catalog::CatalogTransaction& tx) {
    tx.insert(product("p1", "A", "Green tea"));
    tx.publish(event);
  });
  auto pending = stores.catalog_outbox().unpublished(10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].event == event);
}

TEST_CASE_TEMPLATE("catalog store: merging the search index in steps keeps every match", Stores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  // One index segment per transaction: twenty of them to merge.
  for (int i = 0; i < 20; ++i) {
    auto n = std::to_string(100 + i);
    insert(stores, product("p" + n, "S" + n, i % 2 ? "Green tea " + n : "Black tea " + n));
  }
  auto before = all_pages(stores, ProductFilter{"", "gre", "", 3});
  REQUIRE(before.size() == 10);

  CHECK(stores.catalog.compact_search_index());
  int steps = 1;
  while (stores.catalog.compact_search_index()) ++steps;
  CHECK(steps < 100);
  CHECK_FALSE(stores.catalog.compact_search_index());  // nothing left: a no-op
  CHECK(all_pages(stores, ProductFilter{"", "gre", "", 3}) == before);
  CHECK(all_pages(stores, ProductFilter{"", "tea", "", 7}).size() == 20);
  insert(stores, product("p200", "S200", "Green jasmine"));
  CHECK(all_pages(stores, ProductFilter{"", "jas", "", 3}) == std::vector<std::string>{"p200"});
}
