#include "fuzz/shop_on_memory.hpp"

#include <stdexcept>

#include "adapters/http/api_routes.hpp"
#include "adapters/http/health_routes.hpp"

namespace shop::fuzz {

namespace {

// One order, placed the way a client places it, so that its idempotency
// record exists too.
void place_seed_order(const http::Router& router, const std::string& token,
                      const std::string& product_id) {
  http::Request request;
  request.method = "POST";
  request.path = "/api/v1/orders";
  request.headers = {{"authorization", "Bearer " + token},
                     {"content-type", "application/json"},
                     {"idempotency-key", "seed-order-1"}};
  request.body = R"({"items":[{"product_id":")" + product_id + R"(","quantity":2}],)"
                 R"("delivery_address":{"name":"Kim","line1":"1 Sejong-daero","city":"Seoul",)"
                 R"("postal_code":"04524","phone":"010-1234-5678"},)"
                 R"("payment":{"method":"card","token":"tok_ok"}})";
  request.client_address = "203.0.113.1";
  if (router.handle(request).status != 201) throw std::logic_error("the seed order failed");
}

}  // namespace

ShopOnMemory::ShopOnMemory() {
  http::add_api_routes(router, {identity.get(),
                                 catalog.get(),
                                 stock.get(),
                                 orders.get(),
                                 payments.get(),
                                 deliveries.get(),
                                 dashboard.get(),
                                 {{"identity", &identity_store},
                                  {"catalog", &catalog_store},
                                  {"stock", &stock_store},
                                  {"order", &order_store},
                                  {"payment", &payment_store},
                                  {"delivery", &delivery_store}}});
  http::add_health_routes(router, {{"database", [] { return true; }}}, draining);

  identity->create_user({"staff@shop.kr", "Staff", "staff-pass-1"}, identity::Role::staff);
  identity->create_user({"kim@example.kr", "Kim", "s3cret-pass"}, identity::Role::customer);
  staff_token = identity->log_in("staff@shop.kr", "staff-pass-1", "203.0.113.1").token;
  customer_token = identity->log_in("kim@example.kr", "s3cret-pass", "203.0.113.1").token;

  auto tea = catalog->create({"TEA-001", "Green tea", "Jeju first flush", {4500, "KRW"}, "drinks"});
  auto cup = catalog->create({"CUP-001", "Tea cup", "", {12000, "KRW"}, "kitchen"});
  auto pot = catalog->create({"POT-001", "Tea pot", "Celadon", {56000, "KRW"}, "kitchen"});
  stock->restock(tea.id, 50);
  stock->restock(cup.id, 10);
  stock->restock(pot.id, 1);
  place_seed_order(router, customer_token, cup.id);
}

ShopOnMemory& shop_on_memory() {
  static ShopOnMemory shop;
  return shop;
}

}  // namespace shop::fuzz
