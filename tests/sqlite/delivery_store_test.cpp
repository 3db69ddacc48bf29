#include <doctest/doctest.h>

#include "domain/shared/failure.hpp"
#include "sqlite/store_fixtures.hpp"

using namespace shop;
using delivery::Address;
using delivery::Delivery;
using delivery::DeliveryFilter;
using delivery::Status;

namespace {

Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

const Address address{"Kim", "1 Sejong-daero", "Apt 101", "Seoul", "04524", "010-1234-5678"};

Delivery requested(const std::string& id, const std::string& order_id,
                   const std::string& customer_id = "c1") {
  return Delivery::request(id, order_id, customer_id, address, at(1000));
}

template <class Stores>
void save(Stores& stores, const Delivery& delivery) {
  stores.delivery.write([&](delivery::DeliveryTransaction& tx) { tx.save(delivery); });
}

std::vector<std::string> ids_of(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> ids;
  for (const auto& delivery : deliveries) ids.push_back(delivery.id());
  return ids;
}

DeliveryFilter filter(std::size_t limit) {
  DeliveryFilter f;
  f.limit = limit;
  return f;
}

}  // namespace

TEST_CASE_TEMPLATE("delivery store: a delivery round-trips by id and by order", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_FALSE(stores.delivery.find("d1"));
  CHECK_FALSE(stores.delivery.by_order("o1"));
  save(stores, requested("d1", "o1"));

  auto found = stores.delivery.find("d1");
  REQUIRE(found);
  CHECK(found->data().order_id == "o1");
  CHECK(found->data().customer_id == "c1");
  CHECK(found->data().address == address);
  CHECK(found->status() == Status::requested);
  CHECK(found->data().cancel_reason.empty());
  CHECK(found->data().created_at == at(1000));
  CHECK(found->data().updated_at == at(1000));
  CHECK(stores.delivery.by_order("o1")->id() == "d1");

  stores.delivery.write([](delivery::DeliveryTransaction& tx) {
    auto delivery = tx.by_order("o1");
    REQUIRE(delivery);
    delivery->advance(Status::accepted, at(2000));
    delivery->cancel("changed my mind", at(3000));
    tx.save(*delivery);
    CHECK(tx.find("d1")->status() == Status::cancelled);
    CHECK_FALSE(tx.find("d2"));
    CHECK_FALSE(tx.by_order("o2"));
  });
  auto cancelled = stores.delivery.find("d1");
  CHECK(cancelled->status() == Status::cancelled);
  CHECK(cancelled->data().cancel_reason == "changed my mind");
  CHECK(cancelled->data().created_at == at(1000));
  CHECK(cancelled->data().updated_at == at(3000));
}

TEST_CASE_TEMPLATE("delivery store: one delivery per order", Stores, testing::MemoryStores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  save(stores, requested("d1", "o1"));
  try {
    save(stores, requested("d2", "o1"));
    FAIL("a second delivery for the order was stored");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::conflict);
    CHECK(failure.code() == "delivery_exists");
  }
  CHECK_FALSE(stores.delivery.find("d2"));
  CHECK(stores.delivery.by_order("o1")->id() == "d1");
}

TEST_CASE_TEMPLATE("delivery store: the board lists newest first below the cursor", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  save(stores, requested("d1", "o1", "c1"));
  save(stores, requested("d2", "o2", "c2"));
  save(stores, requested("d3", "o3", "c1"));
  save(stores, requested("d4", "o4", "c1"));
  stores.delivery.write([](delivery::DeliveryTransaction& tx) {
    auto delivery = tx.find("d3");
    delivery->advance(Status::accepted, at(2000));
    tx.save(*delivery);
  });

  CHECK(ids_of(stores.delivery.list(filter(10))) ==
        std::vector<std::string>{"d4", "d3", "d2", "d1"});
  CHECK(ids_of(stores.delivery.list(filter(2))) == std::vector<std::string>{"d4", "d3"});
  auto below = filter(10);
  below.before_id = "d3";
  CHECK(ids_of(stores.delivery.list(below)) == std::vector<std::string>{"d2", "d1"});

  auto by_status = filter(10);
  by_status.status = Status::requested;
  CHECK(ids_of(stores.delivery.list(by_status)) == std::vector<std::string>{"d4", "d2", "d1"});
  auto by_customer = filter(10);
  by_customer.customer_id = "c1";
  CHECK(ids_of(stores.delivery.list(by_customer)) == std::vector<std::string>{"d4", "d3", "d1"});
  by_customer.status = Status::requested;
  by_customer.before_id = "d4";
  CHECK(ids_of(stores.delivery.list(by_customer)) == std::vector<std::string>{"d1"});
  auto by_order = filter(10);
  by_order.order_id = "o2";
  CHECK(ids_of(stores.delivery.list(by_order)) == std::vector<std::string>{"d2"});
  by_order.customer_id = "c1";
  CHECK(stores.delivery.list(by_order).empty());
}

TEST_CASE_TEMPLATE("delivery store: events and the inbox commit with the delivery", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  EventEnvelope event{"e1", "shop.delivery.requested.v1", "/shopbox/delivery", "d1", at(1000), "{}"};
  stores.delivery.write([&](delivery::DeliveryTransaction& tx) {
    CHECK(tx.first_delivery("delivery", "order-e1"));
    CHECK_FALSE(tx.first_delivery("delivery", "order-e1"));
    tx.save(requested("d1", "o1"));
    tx.publish(event);
  });
  CHECK_THROWS(stores.delivery.write([&](delivery::DeliveryTransaction& tx) {
    CHECK(tx.first_delivery("delivery", "order-e2"));
    tx.save(requested("d2", "o2"));
    tx.publish(EventEnvelope{"e2", "shop.delivery.requested.v1", "/shopbox/delivery", "d2",
                             at(1000), "{}"});
    throw std::runtime_error("handler failed");
  }));
  auto records = stores.delivery_outbox().unpublished(10);
  REQUIRE(records.size() == 1);
  CHECK(records[0].event == event);
  CHECK_FALSE(stores.delivery.find("d2"));
  stores.delivery.write([](delivery::DeliveryTransaction& tx) {
    CHECK_FALSE(tx.first_delivery("delivery", "order-e1"));
    CHECK(tx.first_delivery("delivery", "order-e2"));
  });
}
