#include <doctest/doctest.h>

#include "delivery_fixture.hpp"
#include "domain/failure_check.hpp"

using namespace shop;
using namespace shop::testing;
using delivery::DeliveryQuery;
using delivery::DeliveryStatus;

namespace {

std::vector<std::string> orders_of(const delivery::DeliveryPage& page) {
  std::vector<std::string> orders;
  for (const auto& item : page.items) orders.push_back(item.order_id);
  return orders;
}

DeliveryQuery query(std::size_t limit, std::string cursor = "") {
  DeliveryQuery q;
  q.limit = limit;
  q.cursor = std::move(cursor);
  return q;
}

}  // namespace

TEST_CASE_FIXTURE(DeliveryFixture, "the board lists newest first, page by page") {
  for (int i = 1; i <= 5; ++i) request("o-" + std::to_string(i));

  auto first = deliveries->list(query(2));
  CHECK(orders_of(first) == std::vector<std::string>{"o-5", "o-4"});
  REQUIRE(first.next_cursor);
  auto second = deliveries->list(query(2, *first.next_cursor));
  CHECK(orders_of(second) == std::vector<std::string>{"o-3", "o-2"});
  REQUIRE(second.next_cursor);
  auto last = deliveries->list(query(2, *second.next_cursor));
  CHECK(orders_of(last) == std::vector<std::string>{"o-1"});
  CHECK_FALSE(last.next_cursor);

  auto exact = deliveries->list(query(5));
  CHECK(exact.items.size() == 5);
  CHECK_FALSE(exact.next_cursor);
}

TEST_CASE_FIXTURE(DeliveryFixture, "the board filters by status, order and customer") {
  request("o-1", "c-1");
  auto accepted = request("o-2", "c-2");
  deliveries->advance(accepted.id, DeliveryStatus::accepted);
  request("o-3", "c-1");

  DeliveryQuery by_status;
  by_status.status = DeliveryStatus::requested;
  CHECK(orders_of(deliveries->list(by_status)) == std::vector<std::string>{"o-3", "o-1"});
  by_status.status = DeliveryStatus::accepted;
  CHECK(orders_of(deliveries->list(by_status)) == std::vector<std::string>{"o-2"});

  DeliveryQuery by_order;
  by_order.order_id = "o-3";
  CHECK(orders_of(deliveries->list(by_order)) == std::vector<std::string>{"o-3"});

  DeliveryQuery by_customer;
  by_customer.customer_id = "c-1";
  CHECK(orders_of(deliveries->list(by_customer)) == std::vector<std::string>{"o-3", "o-1"});
  by_customer.status = DeliveryStatus::accepted;
  CHECK(deliveries->list(by_customer).items.empty());
}

TEST_CASE_FIXTURE(DeliveryFixture, "the board takes 1 to 100 items a page") {
  CHECK_INVALID_FIELD("limit", deliveries->list(query(0)));
  CHECK_INVALID_FIELD("limit", deliveries->list(query(101)));
  CHECK(deliveries->list(query(1)).items.empty());
  CHECK(deliveries->list(query(100)).items.empty());
  CHECK_INVALID_FIELD("cursor", deliveries->list(query(10, std::string(101, 'x'))));
}
