// A store may run a write's work again (PostgreSQL re-runs a transaction
// that lost a conflict): the service must answer from the attempt that
// committed. Staged without threads: the first attempt is rolled back after
// it ran, another customer takes the stock, and the work runs again.
#include <doctest/doctest.h>

#include "delegating_stock_store.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;

namespace {

class RerunningStore final : public DelegatingStockStore {
 public:
  // Called between the rolled-back attempt and the next, once.
  std::function<void()> between;

  void write(const std::function<void(stock::StockTransaction&)>& work) override {
    if (!between) return inner.write(work);
    struct Conflict {};
    try {
      inner.write([&](stock::StockTransaction& tx) {
        work(tx);
        throw Conflict{};  // lost at commit, as a serialization failure would be
      });
    } catch (const Conflict&) {
    }
    std::exchange(between, nullptr)();
    inner.write(work);
  }
};

struct Rerun {
  RerunningStore store;
  FakeProducts products;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<stock::StockApi> stock = stock::make_stock_service({store, products, clock, ids, {}});
};

}  // namespace

TEST_CASE_FIXTURE(Rerun, "a reserve run again after another took the stock answers short, not reserved") {
  products.active.insert("cup");
  stock->restock("cup", 1);
  store.between = [this] { CHECK(stock->reserve("other", {{"cup", 1}}).reserved); };

  auto outcome = stock->reserve("mine", {{"cup", 1}});
  CHECK_FALSE(outcome.reserved);
  REQUIRE(outcome.shortages.size() == 1);
  CHECK(outcome.shortages[0].available == 0);
  CHECK(stock->level("cup").reserved == 1);
}

TEST_CASE_FIXTURE(Rerun, "a reserve that was short, run again once stock came, answers reserved alone") {
  products.active.insert("cup");
  store.between = [this] { stock->restock("cup", 1); };

  auto outcome = stock->reserve("mine", {{"cup", 1}});
  CHECK(outcome.reserved);
  CHECK(outcome.shortages.empty());
}
