#include "adapters/http/order/order_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/http/json_body.hpp"
#include "adapters/http/order/order_json.hpp"
#include "adapters/http/order/order_requests.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/http/responses.hpp"
#include "domain/shared/digest.hpp"

namespace shop::http {

order::PlaceOrder read_place_order(const Request& request, const std::string& customer_id) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  order::PlaceOrder command;
  command.customer_id = customer_id;
  fields.required_array("items", [&](FieldReader& item) {
    command.lines.push_back({item.required_string("product_id"), item.required_integer("quantity")});
  });
  fields.required_object("delivery_address", [&](FieldReader& address) {
    auto& a = command.delivery_address;
    a.name = address.required_string("name");
    a.line1 = address.required_string("line1");
    a.line2 = address.optional_string("line2").value_or("");
    a.city = address.required_string("city");
    a.postal_code = address.required_string("postal_code");
    a.phone = address.required_string("phone");
  });
  fields.required_object("payment", [&](FieldReader& payment) {
    command.payment_method = payment.required_string("method");
    command.payment_token = payment.required_string("token");
  });
  fields.finish();
  if (command.payment_method != "card") throw invalid_field("payment.method", "must be \"card\"");
  return command;
}

std::string read_cancel_reason(const Request& request) {
  if (request.body.empty()) return "";
  auto body = parse_json_body(request);
  FieldReader fields(body);
  auto reason = fields.optional_string("reason").value_or("");
  fields.finish();
  return reason;
}

namespace {

using order::IdempotencyBegin;
using order::Placement;
using order::PlacementResult;

Response placement_response(const Placement& placement) {
  switch (placement.result) {
    case PlacementResult::paid:
    case PlacementResult::payment_pending: {
      Response response = json_response(
          placement.result == PlacementResult::paid ? 201 : 202, order_json(*placement.order));
      response.headers.emplace_back("Location", "/api/v1/orders/" + placement.order->id);
      return response;
    }
    case PlacementResult::payment_declined: {
      Response response = problem(402, "payment_declined", "the payment was declined: " +
                                                               placement.order->cancel_reason);
      auto document = boost::json::parse(response.body).as_object();
      document["order"] = order_json(*placement.order);
      response.body = boost::json::serialize(document);
      return response;
    }
    case PlacementResult::out_of_stock: {
      std::vector<FieldError> errors;
      boost::json::array shortages;
      for (const auto& s : placement.shortages) {
        errors.push_back({"items", "only " + std::to_string(s.available) + " of " + s.product_id +
                                       " available, " + std::to_string(s.requested) + " asked"});
        shortages.push_back(boost::json::object{{"product_id", s.product_id},
                                                {"requested", s.requested},
                                                {"available", s.available}});
      }
      Response response = problem(409, "insufficient_stock", "not enough stock for every line",
                                  errors);
      auto document = boost::json::parse(response.body).as_object();
      document["shortages"] = std::move(shortages);
      response.body = boost::json::serialize(document);
      return response;
    }
    case PlacementResult::interrupted: {
      Response response = problem(503, "order_interrupted",
                                  "the order was written but not finished; retry with the same "
                                  "Idempotency-Key for its outcome");
      response.headers.emplace_back("Retry-After", std::to_string(placement.retry_after_seconds));
      return response;
    }
    case PlacementResult::unavailable: break;
  }
  Response response = problem(503, "payment_unavailable",
                              "the payment provider cannot be reached, so the order was not "
                              "placed; try again later");
  response.headers.emplace_back("Retry-After", std::to_string(placement.retry_after_seconds));
  return response;
}

// The stored response again, with the headers the first one had.
Response replayed(const IdempotencyBegin& begin) {
  Response response{begin.status,
                    begin.status == 402 ? "application/problem+json" : "application/json",
                    {{"Idempotent-Replayed", "true"}},
                    begin.body,
                    nullptr};
  if (begin.status == 201 || begin.status == 202) {
    auto stored = boost::json::parse(begin.body).as_object();
    response.headers.emplace_back("Location",
                                  "/api/v1/orders/" + std::string(stored.at("id").as_string()));
  }
  return response;
}

// SPEC 2, step 1: 201, 202 and 402 are kept and replayed; others are not,
// so that a retry may succeed later.
bool is_replayable(int status) { return status == 201 || status == 202 || status == 402; }

// Keeps a replayable response for its key, or frees the key for a retry.
Response completed(order::OrderApi& orders, const std::string& customer, const std::string& key,
                   Response response) {
  if (is_replayable(response.status)) {
    orders.complete_request(customer, key, response.status, response.body);
  } else {
    orders.abandon_request(customer, key);
  }
  return response;
}

Response place_order(order::OrderApi& orders, RouteContext& context) {
  if (context.principal->is_staff()) {
    throw Failure(FailureKind::forbidden, "customers_only", "orders are placed by customers");
  }
  const Request& request = context.request;
  auto key = request.header("idempotency-key");
  if (!key || key->empty()) {
    throw Failure(FailureKind::malformed, "idempotency_key_required",
                  "POST /orders needs an Idempotency-Key header (a unique value per order)");
  }
  const std::string& customer = context.principal->user_id;
  order::PlaceOrder command = read_place_order(request, customer);
  std::string key_text(*key);
  command.idempotency_key = key_text;
  command.body_digest = fnv1a_hex(request.body);
  IdempotencyBegin begin = orders.begin_request(customer, key_text, command.body_digest);
  switch (begin.state) {
    case IdempotencyBegin::State::replay: return replayed(begin);
    case IdempotencyBegin::State::in_progress: throw order::request_in_progress();
    case IdempotencyBegin::State::mismatch:
      throw invalid_field("Idempotency-Key", "was already used with a different body");
    case IdempotencyBegin::State::settled:
      return completed(orders, customer, key_text, placement_response(begin.placement));
    case IdempotencyBegin::State::fresh: break;
  }
  // The answer is encoded inside the saga's last transaction, to be stored
  // with it; the same response goes back to the client.
  std::optional<Response> answered;
  command.answer = [&](const Placement& placement) {
    answered = placement_response(placement);
    return order::StoredAnswer{answered->status, answered->body};
  };
  Placement placement = orders.place(command);
  // The key stays bound to the interrupted order until recovery settles it.
  if (placement.result == PlacementResult::interrupted) return placement_response(placement);
  if (!placement.request_settled) {
    return completed(orders, customer, key_text, placement_response(placement));
  }
  // Settled without an answer to keep: a 409 or 503, its key freed.
  return answered ? std::move(*answered) : placement_response(placement);
}

// The order when the caller may see it: its owner or staff; others get the
// same 404 as for an unknown id, so that order ids do not leak.
order::OrderView visible_order(order::OrderApi& orders, const RouteContext& context) {
  auto found = orders.get(context.param("id"));
  if (!context.principal->is_staff() && found.customer_id != context.principal->user_id) {
    throw Failure(FailureKind::not_found, "order_not_found", "no order with id " + found.id);
  }
  return found;
}

Response order_page(order::OrderApi& orders, const Request& request, std::string customer_id) {
  order::OrderQuery query;
  if (auto status = query_or(request, "status"); !status.empty()) {
    query.status = order::status_from_string(status);
    if (!query.status || *query.status == order::Status::placing ||
        *query.status == order::Status::rejected) {
      throw invalid_field("status", "is not an order status");
    }
  }
  query.customer_id = std::move(customer_id);
  query.cursor = query_or(request, "cursor");
  query.limit = page_limit(request);
  auto page = orders.list(query);
  boost::json::array items;
  for (const auto& order : page.items) items.push_back(order_json(order));
  boost::json::value next = nullptr;
  if (page.next_cursor) next = *page.next_cursor;
  return json_response(200, boost::json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void add_order_routes(Router& router, order::OrderApi& orders) {
  router.add({"POST", "/api/v1/orders", Access::signed_in,
              [&orders](RouteContext& context) { return place_order(orders, context); }});
  router.add({"GET", "/api/v1/orders", Access::staff, [&orders](RouteContext& context) {
                return order_page(orders, context.request, query_or(context.request, "customer_id"));
              }});
  router.add({"GET", "/api/v1/orders/{id}", Access::signed_in, [&orders](RouteContext& context) {
                return json_response(200, order_json(visible_order(orders, context)));
              }});
  router.add({"POST", "/api/v1/orders/{id}/cancel", Access::signed_in,
              [&orders](RouteContext& context) {
                auto order = visible_order(orders, context);
                auto reason = read_cancel_reason(context.request);
                return json_response(200, order_json(orders.cancel(order.id, reason)));
              }});
  router.add({"GET", "/api/v1/users/{id}/orders", Access::signed_in,
              [&orders](RouteContext& context) {
                require_self_or_staff(context, context.param("id"));
                return order_page(orders, context.request, context.param("id"));
              }});
}

}  // namespace shop::http
