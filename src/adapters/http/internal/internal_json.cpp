#include "adapters/http/internal/internal_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/http/json_body.hpp"
#include "adapters/http/responses.hpp"

namespace shop::http::internal {

namespace json = boost::json;

namespace {

template <class Read>
auto read_all(const json::value& value, Read&& read) {
  FieldReader fields(value);
  auto result = read(fields);
  fields.finish();
  return result;
}

const char* result_name(payment::AuthorizationResult result) {
  switch (result) {
    case payment::AuthorizationResult::approved: return "approved";
    case payment::AuthorizationResult::declined: return "declined";
    case payment::AuthorizationResult::unavailable: return "unavailable";
  }
  return "unavailable";
}

}  // namespace

json::value principal_json(const identity::Principal& principal) {
  return json::object{{"user_id", principal.user_id},
                      {"role", identity::to_string(principal.role)}};
}

identity::Principal principal_of(const json::value& value) {
  return read_all(value, [](FieldReader& fields) {
    identity::Principal principal;
    principal.user_id = fields.required_string("user_id");
    auto role = identity::role_from_string(fields.required_string("role"));
    principal.role = role.value_or(identity::Role::customer);
    if (!role) throw invalid_field("role", "must be staff or customer");
    return principal;
  });
}

json::value product_json(const catalog::ProductView& product) {
  return json::object{{"id", product.id},
                      {"sku", product.sku},
                      {"name", product.name},
                      {"description", product.description},
                      {"price", money_json(product.price)},
                      {"category", product.category},
                      {"version", product.version},
                      {"created_at_ms", unix_millis(product.created_at)},
                      {"updated_at_ms", unix_millis(product.updated_at)}};
}

catalog::ProductView product_of(const json::value& value) {
  return read_all(value, [](FieldReader& fields) {
    catalog::ProductView product;
    product.id = fields.required_string("id");
    product.sku = fields.required_string("sku");
    product.name = fields.required_string("name");
    product.description = fields.required_string("description");
    product.price = fields.required_money("price");
    product.category = fields.required_string("category");
    product.version = fields.required_integer("version");
    product.created_at = from_unix_millis(fields.required_integer("created_at_ms"));
    product.updated_at = from_unix_millis(fields.required_integer("updated_at_ms"));
    return product;
  });
}

json::value lines_json(const std::vector<stock::ReservationLine>& lines) {
  json::array items;
  for (const auto& line : lines) {
    items.push_back(json::object{{"product_id", line.product_id}, {"quantity", line.quantity}});
  }
  return json::object{{"lines", std::move(items)}};
}

std::vector<stock::ReservationLine> lines_of(const json::value& value) {
  return read_all(value, [](FieldReader& fields) {
    std::vector<stock::ReservationLine> lines;
    fields.required_array("lines", [&lines](FieldReader& line) {
      lines.push_back({line.required_string("product_id"), line.required_integer("quantity")});
    });
    return lines;
  });
}

json::value outcome_json(const stock::ReserveOutcome& outcome) {
  json::array shortages;
  for (const auto& shortage : outcome.shortages) {
    shortages.push_back(json::object{{"product_id", shortage.product_id},
                                     {"requested", shortage.requested},
                                     {"available", shortage.available}});
  }
  return json::object{{"reserved", outcome.reserved}, {"shortages", std::move(shortages)}};
}

stock::ReserveOutcome outcome_of(const json::value& value) {
  // Written by outcome_json only: read without FieldReader's strictness,
  // which has no booleans and wants arrays non-empty.
  const auto* object = value.if_object();
  const auto* reserved = object ? object->if_contains("reserved") : nullptr;
  const auto* shortages = object ? object->if_contains("shortages") : nullptr;
  if (!reserved || !reserved->is_bool() || !shortages || !shortages->is_array()) {
    throw invalid_field("body", "must hold reserved and shortages");
  }
  stock::ReserveOutcome outcome;
  outcome.reserved = reserved->get_bool();
  for (const auto& item : shortages->get_array()) {
    outcome.shortages.push_back(read_all(item, [](FieldReader& fields) {
      return stock::Shortage{fields.required_string("product_id"),
                             fields.required_integer("requested"),
                             fields.required_integer("available")};
    }));
  }
  return outcome;
}

json::value charge_json(const payment::ChargeRequest& request) {
  return json::object{{"order_id", request.order_id},   {"customer_id", request.customer_id},
                      {"amount", money_json(request.amount)}, {"method", request.method},
                      {"token", request.token}};
}

payment::ChargeRequest charge_of(const json::value& value) {
  return read_all(value, [](FieldReader& fields) {
    payment::ChargeRequest request;
    request.order_id = fields.required_string("order_id");
    request.customer_id = fields.required_string("customer_id");
    request.amount = fields.required_money("amount");
    request.method = fields.required_string("method");
    request.token = fields.required_string("token");
    return request;
  });
}

json::value authorization_json(const payment::Authorization& authorization) {
  return json::object{{"result", result_name(authorization.result)},
                      {"payment_id", authorization.payment_id},
                      {"reason", authorization.reason}};
}

payment::Authorization authorization_of(const json::value& value) {
  return read_all(value, [](FieldReader& fields) {
    payment::Authorization authorization;
    std::string result = fields.required_string("result");
    authorization.payment_id = fields.required_string("payment_id");
    authorization.reason = fields.required_string("reason");
    if (result == "approved") {
      authorization.result = payment::AuthorizationResult::approved;
    } else if (result == "declined") {
      authorization.result = payment::AuthorizationResult::declined;
    } else if (result != "unavailable") {
      throw invalid_field("result", "must be approved, declined or unavailable");
    }
    return authorization;
  });
}

json::value reason_json(const std::string& reason) { return json::object{{"reason", reason}}; }

std::string reason_of(const json::value& value) {
  return read_all(value, [](FieldReader& fields) { return fields.required_string("reason"); });
}

}  // namespace shop::http::internal
