#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "catalog_fixture.hpp"
#include "domain/failure_check.hpp"

using namespace shop;
using namespace shop::testing;

namespace {

std::vector<std::string> ids_of(const catalog::ProductPage& page) {
  std::vector<std::string> ids;
  for (const auto& item : page.items) ids.push_back(item.id);
  return ids;
}

std::vector<std::string> names_found(catalog::CatalogApi& catalog, std::string search) {
  catalog::ProductQuery query;
  query.search = std::move(search);
  std::vector<std::string> names;
  for (const auto& item : catalog.list(query).items) names.push_back(item.name);
  std::sort(names.begin(), names.end());
  return names;
}

// Follows next_cursor to the end; returns every page.
std::vector<catalog::ProductPage> all_pages(catalog::CatalogApi& catalog,
                                            catalog::ProductQuery query) {
  std::vector<catalog::ProductPage> pages;
  for (;;) {
    pages.push_back(catalog.list(query));
    REQUIRE(pages.size() < 100);
    if (!pages.back().next_cursor) return pages;
    query.cursor = *pages.back().next_cursor;
  }
}

}  // namespace

TEST_CASE_FIXTURE(CatalogFixture, "45 products in pages of 20: 3 pages, no duplicates, no gaps") {
  std::vector<std::string> created;
  for (int i = 0; i < 45; ++i) created.push_back(catalog->create(input("SKU-" + std::to_string(i))).id);

  catalog::ProductQuery query;
  query.limit = 20;
  auto pages = all_pages(*catalog, query);
  REQUIRE(pages.size() == 3);
  CHECK(pages[0].items.size() == 20);
  CHECK(pages[1].items.size() == 20);
  CHECK(pages[2].items.size() == 5);
  CHECK(pages[0].next_cursor.has_value());
  CHECK(pages[1].next_cursor.has_value());
  CHECK_FALSE(pages[2].next_cursor.has_value());

  std::vector<std::string> seen;
  for (const auto& page : pages) {
    for (const auto& id : ids_of(page)) seen.push_back(id);
  }
  // Ordered by id, which is creation order with these ids.
  CHECK(seen == created);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 45);
}

TEST_CASE_FIXTURE(CatalogFixture, "a full last page carries no cursor") {
  for (int i = 0; i < 40; ++i) catalog->create(input("SKU-" + std::to_string(i)));
  catalog::ProductQuery query;
  query.limit = 20;
  auto pages = all_pages(*catalog, query);
  REQUIRE(pages.size() == 2);
  CHECK(pages[1].items.size() == 20);
  CHECK_FALSE(pages[1].next_cursor.has_value());
}

TEST_CASE_FIXTURE(CatalogFixture, "the default page size is 20") {
  for (int i = 0; i < 25; ++i) catalog->create(input("SKU-" + std::to_string(i)));
  auto page = catalog->list({});
  CHECK(page.items.size() == 20);
  CHECK(page.next_cursor.has_value());
}

TEST_CASE_FIXTURE(CatalogFixture, "deleted products leave no hole in the pages") {
  std::vector<std::string> kept;
  for (int i = 0; i < 12; ++i) {
    auto product = catalog->create(input("SKU-" + std::to_string(i)));
    if (i % 3 == 0) {
      catalog->remove(product.id, 0);
    } else {
      kept.push_back(product.id);
    }
  }
  catalog::ProductQuery query;
  query.limit = 3;
  auto pages = all_pages(*catalog, query);
  std::vector<std::string> seen;
  for (const auto& page : pages) {
    CHECK(page.items.size() <= 3);
    for (const auto& id : ids_of(page)) seen.push_back(id);
  }
  CHECK(seen == kept);
  CHECK(pages.size() == 3);
}

TEST_CASE_FIXTURE(CatalogFixture, "a product deleted between pages does not disturb the cursor") {
  std::vector<std::string> created;
  for (int i = 0; i < 6; ++i) created.push_back(catalog->create(input("SKU-" + std::to_string(i))).id);
  catalog::ProductQuery query;
  query.limit = 3;
  auto first = catalog->list(query);
  REQUIRE(first.next_cursor == created[2]);
  catalog->remove(created[2], 0);  // the cursor's own product
  query.cursor = *first.next_cursor;
  CHECK(ids_of(catalog->list(query)) == std::vector<std::string>(created.begin() + 3, created.end()));
}

TEST_CASE_FIXTURE(CatalogFixture, "category filters exactly, across pages") {
  std::vector<std::string> teas;
  for (int i = 0; i < 9; ++i) {
    std::string category = i % 3 == 0 ? "tea" : (i % 3 == 1 ? "coffee" : "tea cups");
    auto product = catalog->create(input("SKU-" + std::to_string(i), "Item", category));
    if (category == "tea") teas.push_back(product.id);
  }
  catalog::ProductQuery query;
  query.category = "tea";
  query.limit = 2;
  auto pages = all_pages(*catalog, query);
  std::vector<std::string> seen;
  for (const auto& page : pages) {
    for (const auto& item : page.items) {
      CHECK(item.category == "tea");
      seen.push_back(item.id);
    }
  }
  CHECK(seen == teas);
  query.category = "nothing";
  query.cursor.clear();
  CHECK(catalog->list(query).items.empty());
}

TEST_CASE_FIXTURE(CatalogFixture, "search matches every word as a prefix of a name word") {
  catalog->create(input("S-1", "Red Apple"));
  catalog->create(input("S-2", "Green apple pie"));
  catalog->create(input("S-3", "Pineapple juice"));
  catalog->create(input("S-4", "사과 주스"));
  catalog->create(input("S-5", "Applesauce"));

  using names = std::vector<std::string>;
  CHECK(names_found(*catalog, "app") == names{"Applesauce", "Green apple pie", "Red Apple"});
  CHECK(names_found(*catalog, "APPLE") == names{"Applesauce", "Green apple pie", "Red Apple"});
  CHECK(names_found(*catalog, "apple red") == names{"Red Apple"});
  CHECK(names_found(*catalog, "juice") == names{"Pineapple juice"});
  CHECK(names_found(*catalog, "사") == names{"사과 주스"});
  CHECK(names_found(*catalog, "주스") == names{"사과 주스"});
  CHECK(names_found(*catalog, "ple").empty());
  CHECK(names_found(*catalog, "apple banana").empty());
}

TEST_CASE_FIXTURE(CatalogFixture, "search and category combine") {
  catalog->create(input("S-1", "Green tea", "tea"));
  catalog->create(input("S-2", "Green mug", "cups"));
  catalog::ProductQuery query;
  query.search = "green";
  query.category = "cups";
  auto page = catalog->list(query);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].name == "Green mug");
}

TEST_CASE_FIXTURE(CatalogFixture, "list refuses a bad limit, search or cursor") {
  catalog::ProductQuery query;
  query.limit = 0;
  CHECK_INVALID_FIELD("limit", catalog->list(query));
  query.limit = max_page_size + 1;
  CHECK_INVALID_FIELD("limit", catalog->list(query));
  query.limit = max_page_size;
  CHECK_NOTHROW(catalog->list(query));
  query.search = std::string(101, 'a');
  CHECK_INVALID_FIELD("q", catalog->list(query));
  query.search = "tea";
  query.cursor = "bad\xFF";
  CHECK_INVALID_FIELD("cursor", catalog->list(query));
}
