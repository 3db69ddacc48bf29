#include "application/catalog/events.hpp"

#include <boost/json/object.hpp>

#include "application/shared/json_fields.hpp"

namespace shop::catalog {

namespace {

boost::json::object snapshot_json(const ProductSnapshot& product) {
  return {{"product_id", product.product_id},
          {"sku", product.sku},
          {"name", product.name},
          {"description", product.description},
          {"price", json::money_to_json(product.price)},
          {"category", product.category},
          {"version", product.version}};
}

ProductSnapshot snapshot_from(std::string_view data) {
  auto value = json::parse_event_data(data);
  const auto& object = json::as_object(value, "product event");
  return ProductSnapshot{json::string_at(object, "product_id"),
                         json::string_at(object, "sku"),
                         json::string_at(object, "name"),
                         json::string_at(object, "description"),
                         json::money_at(object, "price"),
                         json::string_at(object, "category"),
                         json::integer_at(object, "version")};
}

}  // namespace

std::string encode(const ProductCreated& event) {
  return json::serialize(snapshot_json(event.product));
}

std::string encode(const ProductUpdated& event) {
  return json::serialize(snapshot_json(event.product));
}

std::string encode(const ProductDeleted& event) {
  return json::serialize(
      boost::json::object{{"product_id", event.product_id}, {"version", event.version}});
}

ProductCreated decode_product_created(std::string_view data) {
  return ProductCreated{snapshot_from(data)};
}

ProductUpdated decode_product_updated(std::string_view data) {
  return ProductUpdated{snapshot_from(data)};
}

ProductDeleted decode_product_deleted(std::string_view data) {
  auto value = json::parse_event_data(data);
  const auto& object = json::as_object(value, "product_deleted");
  return ProductDeleted{json::string_at(object, "product_id"), json::integer_at(object, "version")};
}

}  // namespace shop::catalog
