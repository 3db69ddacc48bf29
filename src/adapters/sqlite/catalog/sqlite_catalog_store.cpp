#include "adapters/sqlite/catalog/sqlite_catalog_store.hpp"

#include <sqlite3.h>

#include "adapters/sqlite/time_codec.hpp"
#include "domain/shared/failure.hpp"

namespace shop::sqlite {

namespace {

using catalog::Product;
using catalog::ProductDetails;

constexpr const char* schema_v1 = R"sql(
  CREATE TABLE catalog_products (
    seq INTEGER PRIMARY KEY,  -- a stable rowid (VACUUM may renumber implicit ones) for FTS
    id TEXT NOT NULL UNIQUE,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_amount INTEGER NOT NULL,
    price_currency TEXT NOT NULL,
    category TEXT NOT NULL,
    active INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX catalog_products_active_sku ON catalog_products (sku) WHERE active = 1;
  CREATE INDEX catalog_products_category ON catalog_products (category, id) WHERE active = 1;
  CREATE VIRTUAL TABLE catalog_products_fts USING fts5 (
    name, content = 'catalog_products', content_rowid = 'seq'
  );
  CREATE TRIGGER catalog_products_fts_insert AFTER INSERT ON catalog_products BEGIN
    INSERT INTO catalog_products_fts (rowid, name) VALUES (new.seq, new.name);
  END;
  CREATE TRIGGER catalog_products_fts_update AFTER UPDATE OF name ON catalog_products BEGIN
    INSERT INTO catalog_products_fts (catalog_products_fts, rowid, name)
      VALUES ('delete', old.seq, old.name);
    INSERT INTO catalog_products_fts (rowid, name) VALUES (new.seq, new.name);
  END;
)sql";

// Prefix indexes (1 to 10 characters) let a "word"* query read one doclist in
// rowid order, which a search page stops early in; without them FTS5 first
// merges the doclists of every term starting with the word. Longer words
// match few terms. v1's triggers name the table, so they feed this one.
constexpr const char* schema_v4 = R"sql(
  DROP TABLE catalog_products_fts;
  CREATE VIRTUAL TABLE catalog_products_fts USING fts5 (
    name, content = 'catalog_products', content_rowid = 'seq', prefix = '1 2 3 4 5 6 7 8 9 10'
  );
  INSERT INTO catalog_products_fts (catalog_products_fts) VALUES ('rebuild');
)sql";

// `t` qualifies each column ("p." or "") when a join makes names ambiguous.
#define PRODUCT_COLUMNS_OF(t)                                                         \
  t "id, " t "sku, " t "name, " t "description, " t "price_amount, " t "price_currency, " \
  t "category, " t "active, " t "version, " t "created_at, " t "updated_at"
#define PRODUCT_COLUMNS PRODUCT_COLUMNS_OF("")

constexpr const char* select_by_id = "SELECT " PRODUCT_COLUMNS " FROM catalog_products WHERE id = ?";

constexpr const char* insert_product =
    "INSERT INTO catalog_products (" PRODUCT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

constexpr const char* update_product =
    "UPDATE catalog_products SET sku = ?2, name = ?3, description = ?4, price_amount = ?5, "
    "price_currency = ?6, category = ?7, active = ?8, version = ?9, created_at = ?10, "
    "updated_at = ?11 WHERE id = ?1";

// The four shapes of a listing, each a fixed statement: every filter is a
// bound parameter and each shape gets its own query plan.
constexpr const char* list_all = "SELECT " PRODUCT_COLUMNS
                                 " FROM catalog_products WHERE active = 1 AND id > ?1 "
                                 "ORDER BY id LIMIT ?2";
constexpr const char* list_category = "SELECT " PRODUCT_COLUMNS
                                      " FROM catalog_products WHERE active = 1 AND id > ?1 "
                                      "AND category = ?3 ORDER BY id LIMIT ?2";
// A search walks the FTS index in its own order (rowid = seq) and stops after
// a page, where ordering by id would fetch and sort every match first. So its
// results come in creation order by seq rather than by id (both are creation
// order). The cursor stays a product id: the page resumes after the seq of
// the greatest id up to it, the cursor's own for a product and, ids being
// time-ordered, where the id listing resumes for an unknown one.
constexpr const char* list_search =
    "SELECT " PRODUCT_COLUMNS_OF("p.")
    " FROM catalog_products_fts f JOIN catalog_products p ON p.seq = f.rowid "
    "WHERE catalog_products_fts MATCH ?4 AND f.rowid > COALESCE("
    "(SELECT seq FROM catalog_products WHERE id <= ?1 ORDER BY id DESC LIMIT 1), 0) "
    "AND p.active = 1 ORDER BY f.rowid LIMIT ?2";
constexpr const char* list_category_search =
    "SELECT " PRODUCT_COLUMNS_OF("p.")
    " FROM catalog_products_fts f JOIN catalog_products p ON p.seq = f.rowid "
    "WHERE catalog_products_fts MATCH ?4 AND f.rowid > COALESCE("
    "(SELECT seq FROM catalog_products WHERE id <= ?1 ORDER BY id DESC LIMIT 1), 0) "
    "AND p.active = 1 AND p.category = ?3 ORDER BY f.rowid LIMIT ?2";

#undef PRODUCT_COLUMNS
#undef PRODUCT_COLUMNS_OF

Product read_product(SQLite::Statement& row) {
  ProductDetails details{row.getColumn(1).getString(), row.getColumn(2).getString(),
                         row.getColumn(3).getString(),
                         Money{row.getColumn(4).getInt64(), row.getColumn(5).getString()},
                         row.getColumn(6).getString()};
  return Product::restore(row.getColumn(0).getString(), std::move(details),
                          row.getColumn(7).getInt() != 0, row.getColumn(8).getInt64(),
                          from_millis(row.getColumn(9).getInt64()),
                          from_millis(row.getColumn(10).getInt64()));
}

void bind_product(SQLite::Statement& statement, const Product& product) {
  const auto& d = product.details();
  statement.bind(1, product.id());
  statement.bind(2, d.sku);
  statement.bind(3, d.name);
  statement.bind(4, d.description);
  statement.bind(5, d.price.amount);
  statement.bind(6, d.price.currency);
  statement.bind(7, d.category);
  statement.bind(8, product.active() ? 1 : 0);
  statement.bind(9, product.version());
  statement.bind(10, to_millis(product.created_at()));
  statement.bind(11, to_millis(product.updated_at()));
}

std::optional<Product> find_in(Connection& connection, const std::string& id) {
  auto statement = connection.prepare(select_by_id);
  statement->bind(1, id);
  if (!statement->executeStep()) return std::nullopt;
  return read_product(*statement);
}

// Turns what a shopper typed into an FTS5 query that cannot be a syntax
// error: every word becomes a quoted prefix term, all of them required.
std::string fts_query(const std::string& search) {
  std::string query;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!query.empty()) query += ' ';
    query += '"' + word + "\"*";
    word.clear();
  };
  for (char c : search) {
    if (c == ' ' || c == '\t') {
      flush();
    } else if (c != '"') {
      word += c;
    }
  }
  flush();
  return query;
}

void write_product(Connection& connection, const char* sql, const Product& product) {
  try {
    auto statement = connection.prepare(sql);
    bind_product(*statement, product);
    statement->exec();
  } catch (const SQLite::Exception& error) {
    if (error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
      throw Failure(FailureKind::conflict, "sku_taken",
                    "another product already has sku " + product.details().sku);
    }
    throw;
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

// FTS5's incremental merge across every level (a negative page count), so
// that repeated steps converge on one segment, as 'optimize' would at once.
constexpr const char* merge_search_index =
    "INSERT INTO catalog_products_fts (catalog_products_fts, rank) VALUES ('merge', ?)";
constexpr int pages_per_merge_step = 64;

}  // namespace

ModuleSchema catalog_schema() {
  return ModuleSchema{"catalog", {{1, schema_v1}, event_tables_migration(2, "catalog"),
                                 parked_events_migration(3, "catalog"), {4, schema_v4}}};
}

SqliteCatalogStore::SqliteCatalogStore(Database& database)
    : database_(database), outbox_(database, "catalog") {}

void SqliteCatalogStore::write(const std::function<void(catalog::CatalogTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<Product> SqliteCatalogStore::find(const std::string& id) {
  return find_in(database_.reader(), id);
}

std::vector<Product> SqliteCatalogStore::list(const catalog::ProductFilter& filter) {
  std::string match = fts_query(filter.search);
  const char* sql = match.empty() ? (filter.category.empty() ? list_all : list_category)
                                  : (filter.category.empty() ? list_search : list_category_search);
  auto statement = database_.reader().prepare(sql);
  statement->bind(1, filter.after_id);
  statement->bind(2, static_cast<std::int64_t>(filter.limit));
  if (!filter.category.empty()) statement->bind(3, filter.category);
  if (!match.empty()) statement->bind(4, match);
  std::vector<Product> products;
  while (statement->executeStep()) products.push_back(read_product(*statement));
  return products;
}

// FTS5 documents the test: a step that changed fewer than two rows found
// nothing left to merge.
bool SqliteCatalogStore::compact_search_index() {
  int changed = 0;
  database_.write([&](Connection& connection) {
    sqlite3* handle = connection.handle().getHandle();
    int before = sqlite3_total_changes(handle);
    auto statement = connection.prepare(merge_search_index);
    statement->bind(1, -pages_per_merge_step);
    statement->exec();
    changed = sqlite3_total_changes(handle) - before;
  });
  return changed >= 2;
}

}  // namespace shop::sqlite
