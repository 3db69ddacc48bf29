#pragma once

#include <deque>
#include <functional>
#include <utility>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/memory/order/memory_order_store.hpp"
#include "adapters/memory/stock/memory_stock_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/order/api.hpp"
#include "application/stock/api.hpp"

namespace shop::testing {

// Two products for sale; every other id is unknown to the catalog.
class TwoProducts final : public catalog::ProductLookup {
 public:
  std::optional<catalog::ProductView> find_active(const std::string& id) override {
    catalog::ProductView view;
    view.id = id;
    view.sku = id == "tea" ? "TEA-1" : "CUP-1";
    view.name = id == "tea" ? "Green tea" : "Cup";
    view.price = Money{id == "tea" ? 4500 : 1000, "KRW"};
    if (id != "tea" && id != "cup") return std::nullopt;
    return view;
  }
};

// A payment module that answers as scripted (approved when the script runs
// out) and records what it was asked.
class ScriptedPayments final : public payment::Payments {
 public:
  std::deque<payment::AuthorizationResult> answers;
  std::vector<std::string> authorized;
  std::vector<std::string> refunded;
  // Runs while the provider is being asked, once: for races with a charge in flight.
  std::function<void()> during_authorize;

  payment::Authorization authorize(const payment::ChargeRequest& request) override {
    authorized.push_back(request.order_id);
    if (auto race = std::exchange(during_authorize, nullptr)) race();
    auto result = payment::AuthorizationResult::approved;
    if (!answers.empty()) {
      result = answers.front();
      answers.pop_front();
    }
    return {result, "pay-" + request.order_id,
            result == payment::AuthorizationResult::declined ? "insufficient funds" : ""};
  }
  void refund(const std::string& order_id, const std::string&) override {
    refunded.push_back(order_id);
  }
};

struct OrderFixture {
  memory::ManualClock clock;
  memory::SequentialIds ids;
  memory::SilentLog log;
  TwoProducts products;
  memory::MemoryStockStore stock_store;
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({stock_store, products, clock, ids, {}});
  ScriptedPayments payments;
  memory::MemoryOrderStore store;
  std::unique_ptr<order::OrderApi> orders;

  explicit OrderFixture(order::OrderSettings settings = {})
      : orders(order::make_order_service(
            {store, products, *stock, payments, clock, ids, log, settings})) {
    stock->restock("tea", 10);
    stock->restock("cup", 10);
  }

  order::PlaceOrder command(std::int64_t tea, std::int64_t cup = 0) {
    order::PlaceOrder place;
    place.customer_id = "c-1";
    if (tea > 0) place.lines.push_back({"tea", tea});
    if (cup > 0) place.lines.push_back({"cup", cup});
    place.delivery_address = {"Kim", "1 Road", "", "Seoul", "04524", "010-1234"};
    place.payment_method = "card";
    place.payment_token = "tok_ok";
    return place;
  }

  std::int64_t available(const std::string& product) { return stock->level(product).available; }
  std::int64_t on_hand(const std::string& product) { return stock->level(product).on_hand; }

  // The types of the order outbox's unpublished events, in order.
  std::vector<std::string> order_events() {
    std::vector<std::string> types;
    for (const auto& record : store.unpublished(1000)) types.push_back(record.event.type);
    return types;
  }

  // Hands every pending order event to stock, as the bus would.
  void deliver_order_events_to_stock() {
    for (const auto& record : store.unpublished(1000)) stock->on_order_event(record.event);
  }
};

}  // namespace shop::testing
