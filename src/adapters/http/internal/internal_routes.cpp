#include "adapters/http/internal/internal_routes.hpp"

#include <openssl/crypto.h>

#include <boost/json/object.hpp>
#include <memory>
#include <stdexcept>

#include "adapters/http/internal/internal_json.hpp"
#include "adapters/http/json_body.hpp"
#include "adapters/http/responses.hpp"

namespace shop::http {

namespace {

using namespace internal;

class Guarded {
 public:
  Guarded(Router& router, const std::string& service_token)
      : router_(router), token_(std::make_shared<const std::string>(service_token)) {}

  void add(const char* method, std::string pattern, Handler handler) {
    router_.add({method, std::move(pattern), Access::anyone,
                 [token = token_, handler = std::move(handler)](RouteContext& context) {
                   if (!presented(*token, context.request)) {
                     throw Failure(FailureKind::not_found, "not_found", "no such resource");
                   }
                   return handler(context);
                 }});
  }

 private:
  static bool presented(const std::string& expected, const Request& request) {
    auto given = request.header(service_token_header);
    // Compared in constant time: the time taken tells nothing of the secret.
    return given && given->size() == expected.size() &&
           CRYPTO_memcmp(given->data(), expected.data(), expected.size()) == 0;
  }

  Router& router_;
  std::shared_ptr<const std::string> token_;
};

void add_identity(Guarded& routes, identity::TokenLookup& tokens) {
  routes.add("POST", "/internal/v1/identity/principal", [&tokens](RouteContext& context) {
    auto body = parse_json_body(context.request);
    FieldReader fields(body);
    std::string token = fields.required_string("token");
    fields.finish();
    auto principal = tokens.principal(token);
    if (!principal) throw Failure(FailureKind::not_found, "unknown_token", "no such session");
    return json_response(200, principal_json(*principal));
  });
}

void add_catalog(Guarded& routes, catalog::ProductLookup& products) {
  routes.add("GET", "/internal/v1/catalog/products/{id}", [&products](RouteContext& context) {
    auto product = products.find_active(context.param("id"));
    if (!product) throw Failure(FailureKind::not_found, "product_not_found", "no such product");
    return json_response(200, product_json(*product));
  });
}

void add_stock(Guarded& routes, stock::Reservations& reservations) {
  const std::string base = "/internal/v1/stock/reservations/{order_id}";
  routes.add("POST", base, [&reservations](RouteContext& context) {
    auto lines = lines_of(parse_json_body(context.request));
    return json_response(200, outcome_json(reservations.reserve(context.param("order_id"), lines)));
  });
  routes.add("POST", base + "/confirm", [&reservations](RouteContext& context) {
    reservations.confirm(context.param("order_id"));
    return no_content();
  });
  routes.add("POST", base + "/release", [&reservations](RouteContext& context) {
    reservations.release(context.param("order_id"), reason_of(parse_json_body(context.request)));
    return no_content();
  });
  routes.add("POST", base + "/return", [&reservations](RouteContext& context) {
    reservations.return_units(context.param("order_id"));
    return no_content();
  });
}

void add_payment(Guarded& routes, payment::Payments& payments) {
  routes.add("POST", "/internal/v1/payment/authorizations", [&payments](RouteContext& context) {
    auto request = charge_of(parse_json_body(context.request));
    return json_response(200, authorization_json(payments.authorize(request)));
  });
  routes.add("POST", "/internal/v1/payment/refunds/{order_id}", [&payments](RouteContext& context) {
    payments.refund(context.param("order_id"), reason_of(parse_json_body(context.request)));
    return no_content();
  });
}

void add_order(Guarded& routes, order::Dispatch& dispatch) {
  routes.add("POST", "/internal/v1/order/orders/{order_id}/dispatch",
             [&dispatch](RouteContext& context) {
               dispatch.begin_dispatch(context.param("order_id"));
               return no_content();
             });
}

}  // namespace

void add_internal_routes(Router& router, const InternalPorts& ports,
                         const std::string& service_token) {
  if (service_token.size() < 16) {
    throw std::invalid_argument("the service token must have at least 16 characters");
  }
  Guarded routes(router, service_token);
  if (ports.tokens) add_identity(routes, *ports.tokens);
  if (ports.products) add_catalog(routes, *ports.products);
  if (ports.reservations) add_stock(routes, *ports.reservations);
  if (ports.payments) add_payment(routes, *ports.payments);
  if (ports.dispatch) add_order(routes, *ports.dispatch);
}

}  // namespace shop::http
