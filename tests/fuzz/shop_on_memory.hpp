#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/memory/catalog/memory_catalog_store.hpp"
#include "adapters/memory/dashboard/memory_dashboard_store.hpp"
#include "adapters/memory/delivery/memory_delivery_store.hpp"
#include "adapters/memory/identity/memory_identity_store.hpp"
#include "adapters/memory/order/memory_order_store.hpp"
#include "adapters/memory/payment/memory_payment_store.hpp"
#include "adapters/memory/stock/memory_stock_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "adapters/system/steady_clock.hpp"
#include "application/catalog/api.hpp"
#include "application/dashboard/api.hpp"
#include "application/delivery/api.hpp"
#include "application/identity/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/payment/circuit_breaker.hpp"
#include "application/stock/api.hpp"
#include "fuzz/fuzz_doubles.hpp"

namespace shop::fuzz {

// The whole HTTP surface (every route, as tests/http/http_fixture.hpp wires
// it) on memory adapters, without a socket. Ids come from one generator per
// module so that the seeded ones are known to the corpus (make_seeds.py):
// users user-000001 (staff) and user-000003 (customer), products
// product-000001, -000003 and -000005 with stock, and order-000001 (PAID).
struct ShopOnMemory {
  memory::ManualClock clock;
  memory::SequentialIds user_ids{"user-"};
  memory::SequentialIds product_ids{"product-"};
  memory::SequentialIds order_ids{"order-"};
  memory::SequentialIds other_ids{"id-"};
  ErrorLog log;
  memory::MemoryIdentityStore identity_store;
  memory::MemoryCatalogStore catalog_store;
  memory::MemoryStockStore stock_store;
  PlainPasswords hasher;
  FixedTokens tokens;
  std::unique_ptr<identity::IdentityApi> identity =
      identity::make_identity_service({identity_store, hasher, tokens, clock, user_ids, {}});
  std::unique_ptr<catalog::CatalogApi> catalog =
      catalog::make_catalog_service({catalog_store, clock, product_ids});
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({stock_store, *catalog, clock, other_ids, {}});
  memory::MemoryPaymentStore payment_store;
  ScriptedGateway gateway;
  system::SteadyClock steady;
  payment::CircuitBreaker breaker{gateway, steady, log};
  std::unique_ptr<payment::PaymentApi> payments =
      payment::make_payment_service({payment_store, breaker, clock, other_ids, log, {}, {}});
  memory::MemoryOrderStore order_store;
  std::unique_ptr<order::OrderApi> orders = order::make_order_service(
      {order_store, *catalog, *stock, *payments, clock, order_ids, log, {}});
  memory::MemoryDeliveryStore delivery_store;
  std::unique_ptr<delivery::DeliveryApi> deliveries =
      delivery::make_delivery_service({delivery_store, *orders, clock, other_ids});
  memory::MemoryDashboardStore dashboard_store;
  std::unique_ptr<dashboard::DashboardApi> dashboard =
      dashboard::make_dashboard_service({dashboard_store, clock, "KRW", 5, std::chrono::minutes(0)});
  http::Router router{*identity, log};
  std::atomic<bool> draining{false};
  std::string staff_token;     // "token-1"
  std::string customer_token;  // "token-2"

  ShopOnMemory();
};

// Built and seeded on first use, then shared by every input of the process.
ShopOnMemory& shop_on_memory();

}  // namespace shop::fuzz
