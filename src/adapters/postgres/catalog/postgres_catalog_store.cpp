#include "adapters/postgres/catalog/postgres_catalog_store.hpp"

#include "domain/shared/failure.hpp"

namespace shop::postgres {

namespace {

using catalog::Product;
using catalog::ProductDetails;

// The search replaces SQLite's FTS5 table and its triggers: the words of a
// name (runs of ASCII letters and digits or of any non-ASCII character, in
// lower case) are a generated tsvector column under a GIN index, and each
// searched word must start one of them, as an FTS5 prefix query would.
// Both sides split text with catalog_words(), so they cannot disagree.
// A search word holds no quote or backslash, so quoting it is enough to make
// it a tsquery term whatever a shopper typed; no word at all gives a NULL
// query, which matches nothing, as FTS5 does for a phrase without a token.
// Ids compare bytewise ("C"), as SQLite's do, whatever the database's
// locale: listing pages and cursors depend on their order.
constexpr const char* schema_v1 = R"sql(
  CREATE FUNCTION catalog_words(text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_remove(regexp_split_to_array(lower($1), '[^0-9a-z\u0080-\U0010FFFF]+'), '');
  CREATE FUNCTION catalog_search_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT string_agg('''' || word || ''':*', ' & ')::tsquery
            FROM unnest(catalog_words($1)) AS word);
  CREATE TABLE catalog_products (
    seq BIGSERIAL PRIMARY KEY,  -- creation order, the order of a search
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_amount BIGINT NOT NULL,
    price_currency TEXT NOT NULL,
    category TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    name_words tsvector GENERATED ALWAYS AS (array_to_tsvector(catalog_words(name))) STORED
  );
  CREATE UNIQUE INDEX catalog_products_active_sku ON catalog_products (sku) WHERE active;
  CREATE INDEX catalog_products_category ON catalog_products (category, id) WHERE active;
  CREATE INDEX catalog_products_name_words ON catalog_products USING gin (name_words);
)sql";

#define PRODUCT_COLUMNS                                                                     \
  "id, sku, name, description, price_amount, price_currency, category, active, version, " \
  "created_at, updated_at"

constexpr const char* select_by_id =
    "SELECT " PRODUCT_COLUMNS " FROM catalog_products WHERE id = $1";

constexpr const char* insert_product = "INSERT INTO catalog_products (" PRODUCT_COLUMNS
                                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

constexpr const char* update_product =
    "UPDATE catalog_products SET sku = $2, name = $3, description = $4, price_amount = $5, "
    "price_currency = $6, category = $7, active = $8, version = $9, created_at = $10, "
    "updated_at = $11 WHERE id = $1";

// The four shapes of a listing, each a fixed statement with its own plan:
// $1 is the cursor, $2 the limit, then the category and the search words.
constexpr const char* list_all = "SELECT " PRODUCT_COLUMNS
                                 " FROM catalog_products WHERE active AND id > $1 "
                                 "ORDER BY id LIMIT $2";
constexpr const char* list_category = "SELECT " PRODUCT_COLUMNS
                                      " FROM catalog_products WHERE active AND id > $1 "
                                      "AND category = $3 ORDER BY id LIMIT $2";
// As on SQLite, a search comes in creation order (seq) and resumes after the
// seq of the greatest id up to the cursor: the cursor's own for a product
// and, ids being time-ordered, where the id listing resumes for an unknown one.
#define AFTER_CURSOR                                                                  \
  "seq > COALESCE((SELECT seq FROM catalog_products WHERE id <= $1 ORDER BY id DESC " \
  "LIMIT 1), 0)"
// The query is a FROM item so that it is built once, not once per row.
constexpr const char* list_search =
    "SELECT " PRODUCT_COLUMNS " FROM catalog_products, catalog_search_query($3) AS query "
    "WHERE active AND " AFTER_CURSOR " AND name_words @@ query ORDER BY seq LIMIT $2";
constexpr const char* list_category_search =
    "SELECT " PRODUCT_COLUMNS " FROM catalog_products, catalog_search_query($4) AS query "
    "WHERE active AND " AFTER_CURSOR " AND category = $3 AND name_words @@ query "
    "ORDER BY seq LIMIT $2";

#undef AFTER_CURSOR
#undef PRODUCT_COLUMNS

// Rows added since the last vacuum wait in the GIN index's pending list,
// which every search reads whole: GIN's counterpart of FTS5's segments.
// Merging it needs the index's owner, the role that ran the migrations.
constexpr const char* merge_search_index =
    "SELECT gin_clean_pending_list('catalog_products_name_words'::regclass)";

Product product_at(const Result& rows, int row) {
  ProductDetails details{rows.text(row, 1), rows.text(row, 2), rows.text(row, 3),
                         Money{rows.integer(row, 4), rows.text(row, 5)}, rows.text(row, 6)};
  return Product::restore(rows.text(row, 0), std::move(details), rows.boolean(row, 7),
                          rows.integer(row, 8), from_unix_millis(rows.integer(row, 9)),
                          from_unix_millis(rows.integer(row, 10)));
}

std::optional<Product> find_in(Connection& connection, const std::string& id) {
  auto rows = connection.exec(select_by_id, {param(id)});
  if (rows.empty()) return std::nullopt;
  return product_at(rows, 0);
}

void write_product(Connection& connection, const char* sql, const Product& product) {
  const auto& d = product.details();
  try {
    connection.exec(sql, {param(product.id()), param(d.sku), param(d.name), param(d.description),
                          param(d.price.amount), param(d.price.currency), param(d.category),
                          param(product.active()), param(product.version()),
                          param(unix_millis(product.created_at())),
                          param(unix_millis(product.updated_at()))});
  } catch (const SqlError& error) {
    if (!error.unique_violation()) throw;
    throw Failure(FailureKind::conflict, "sku_taken",
                  "another product already has sku " + product.details().sku);
  }
}

class Transaction final : public OutboxTransaction<catalog::CatalogTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<Product> find(const std::string& id) override { return find_in(connection_, id); }
  void insert(const Product& product) override {
    write_product(connection_, insert_product, product);
  }
  void update(const Product& product) override {
    write_product(connection_, update_product, product);
  }
};

}  // namespace

ModuleSchema catalog_schema() {
  return ModuleSchema{"catalog", {{1, schema_v1}, event_tables_migration(2, "catalog")}};
}

PostgresCatalogStore::PostgresCatalogStore(Database& database)
    : database_(database), outbox_(database, "catalog") {}

void PostgresCatalogStore::write(const std::function<void(catalog::CatalogTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<Product> PostgresCatalogStore::find(const std::string& id) {
  std::optional<Product> product;
  database_.read([&](Connection& connection) { product = find_in(connection, id); });
  return product;
}

std::vector<Product> PostgresCatalogStore::list(const catalog::ProductFilter& filter) {
  // As on SQLite, which drops quotes from a search: blanks and quotes alone
  // are no search at all.
  bool search = filter.search.find_first_not_of(" \t\"") != std::string::npos;
  const char* sql = search ? (filter.category.empty() ? list_search : list_category_search)
                           : (filter.category.empty() ? list_all : list_category);
  std::vector<Param> params{param(filter.after_id), param(std::int64_t(filter.limit))};
  if (!filter.category.empty()) params.push_back(param(filter.category));
  if (search) params.push_back(param(filter.search));
  std::vector<Product> products;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(sql, params);
    for (int row = 0; row < rows.rows(); ++row) products.push_back(product_at(rows, row));
  });
  return products;
}

// One step merges the whole pending list; true when it held something.
bool PostgresCatalogStore::compact_search_index() {
  bool merged = false;
  database_.write([&](Connection& connection) {
    merged = connection.exec(merge_search_index).integer(0, 0) > 0;
  });
  return merged;
}

}  // namespace shop::postgres
