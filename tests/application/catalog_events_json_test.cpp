#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>

#include "application/catalog/events.hpp"
#include "application/shared/event.hpp"

using namespace shop;
using namespace shop::catalog;

namespace {

ProductSnapshot snapshot() {
  return ProductSnapshot{"p-1",   "TEA-001", "녹차", "Loose \"leaf\"\n100 g", Money{12'000, "KRW"},
                         "tea", 3};
}

const char* const snapshot_json =
    R"json({"product_id":"p-1","sku":"TEA-001","name":"녹차","description":"Loose \"leaf\"\n100 g","price":{"amount":12000,"currency":"KRW"},"category":"tea","version":3})json";

}  // namespace

TEST_CASE("ProductCreated has a fixed JSON shape and round-trips") {
  ProductCreated event{snapshot()};
  CHECK(std::string(ProductCreated::type) == "shop.catalog.product_created.v1");
  CHECK(encode(event) == snapshot_json);
  CHECK(decode_product_created(encode(event)).product == event.product);
}

TEST_CASE("ProductUpdated has a fixed JSON shape and round-trips") {
  ProductUpdated event{snapshot()};
  CHECK(std::string(ProductUpdated::type) == "shop.catalog.product_updated.v1");
  CHECK(encode(event) == snapshot_json);
  CHECK(decode_product_updated(encode(event)).product == event.product);
}

TEST_CASE("ProductDeleted has a fixed JSON shape and round-trips") {
  ProductDeleted event{"p-1", 4};
  CHECK(std::string(ProductDeleted::type) == "shop.catalog.product_deleted.v1");
  CHECK(encode(event) == R"json({"product_id":"p-1","version":4})json");
  auto decoded = decode_product_deleted(encode(event));
  CHECK(decoded.product_id == "p-1");
  CHECK(decoded.version == 4);
}

TEST_CASE("catalog decoders refuse data that breaks the schema") {
  CHECK_THROWS_AS(decode_product_created("[]"), std::runtime_error);
  CHECK_THROWS_AS(decode_product_created(R"({"product_id":"p-1"})"), std::runtime_error);
  CHECK_THROWS_AS(decode_product_deleted(R"({"product_id":"p-1","version":"4"})"),
                  std::runtime_error);
  CHECK_THROWS_AS(decode_product_deleted(R"({"version":4})"), std::runtime_error);
  // Found by fuzz_event_envelope: a missing price escaped as std::out_of_range.
  CHECK_THROWS_AS(decode_product_created(
                      R"({"product_id":"p-1","sku":"S","name":"N","description":"","category":"c","version":1})"),
                  std::runtime_error);
}

TEST_CASE("make_envelope wraps a catalog event in its CloudEvents envelope") {
  const Timestamp at{std::chrono::milliseconds(1'800'000'000'123)};
  auto envelope = make_envelope(ProductCreated{snapshot()}, "e-1", at);
  CHECK(envelope.id == "e-1");
  CHECK(envelope.type == "shop.catalog.product_created.v1");
  CHECK(envelope.source == "/shopbox/catalog");
  CHECK(envelope.subject == "p-1");
  CHECK(envelope.time == at);
  CHECK(envelope.data == snapshot_json);
}
