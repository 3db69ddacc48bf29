#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "adapters/memory/test_doubles.hpp"
#include "application/stock/api.hpp"
#include "sqlite/sqlite_fixture.hpp"

using namespace shop;

namespace {

// Every product exists: this test is about stock, not the catalog.
class AnyProduct final : public catalog::ProductLookup {
 public:
  std::optional<catalog::ProductView> find_active(const std::string& id) override {
    catalog::ProductView view;
    view.id = id;
    return view;
  }
};

// One process's side of the race: a stock service on its own connection(s).
struct Contender {
  sqlite::Database database;
  sqlite::SqliteStockStore store{database};
  AnyProduct products;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({store, products, clock, ids, {}});

  // Each process needs its own id prefix: event ids are unique in the outbox.
  Contender(const std::string& path, const std::string& id_prefix)
      : database(testing::settings_for(path)), ids(id_prefix) {}

  // Reserves one unit of each product, listing them in the given order.
  bool reserve_pair(const std::string& order_id, bool reversed) {
    std::vector<stock::ReservationLine> lines{{"apple", 1}, {"pear", 1}};
    if (reversed) std::swap(lines[0], lines[1]);
    return stock->reserve(order_id, lines).reserved;
  }
};

std::int64_t ledger_sum(stock::StockApi& api, const std::string& product,
                        std::int64_t stock::LedgerEntry::*delta) {
  std::int64_t sum = 0;
  for (const auto& row : api.ledger(product, 0, 100000)) sum += row.entry.*delta;
  return sum;
}

}  // namespace

TEST_CASE("64 threads and a second process never oversell two-line reservations") {
  testing::TempDir dir;
  std::string path = dir.file("race.db");
  {
    Contender setup(path, "setup-");
    sqlite::migrate(setup.database, testing::all_schemas());
    setup.stock->restock("apple", 10);
    setup.stock->restock("pear", 10);
  }

  // The second process opens its own connections after the fork, as SQLite
  // requires, and reports its successes through a pipe.
  int pipe_ends[2];
  REQUIRE(pipe(pipe_ends) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(pipe_ends[0]);
    int won = 0;
    try {
      Contender contender(path, "child-");
      for (int i = 0; i < 40; ++i) won += contender.reserve_pair("child-" + std::to_string(i), i % 2);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "second process failed: %s\n", error.what());
      _exit(2);
    }
    (void)!write(pipe_ends[1], &won, sizeof won);
    _exit(0);
  }
  close(pipe_ends[1]);

  Contender parent(path, "parent-");
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i) {
        try {
          won += parent.reserve_pair("thread-" + std::to_string(t) + "-" + std::to_string(i), t % 2);
        } catch (...) {
          ++failed;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  int child_won = -1;
  REQUIRE(read(pipe_ends[0], &child_won, sizeof child_won) == sizeof child_won);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_ends[0]);

  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(failed == 0);
  CHECK(won + child_won == 10);
  for (const char* product : {"apple", "pear"}) {
    auto level = parent.stock->level(product);
    CHECK(level.on_hand == 10);
    CHECK(level.reserved == 10);
    CHECK(level.available == 0);
    CHECK(ledger_sum(*parent.stock, product, &stock::LedgerEntry::on_hand_delta) == level.on_hand);
    CHECK(ledger_sum(*parent.stock, product, &stock::LedgerEntry::reserved_delta) == level.reserved);
  }
}
