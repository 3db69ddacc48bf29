#include "adapters/http/identity/identity_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/http/identity/identity_requests.hpp"
#include "adapters/http/json_body.hpp"
#include "adapters/http/order/order_json.hpp"
#include "adapters/http/responses.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

namespace {

boost::json::object user_json(const identity::UserView& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"role", identity::to_string(user.role)},
          {"created_at", time_json(user.created_at)}};
}

constexpr std::size_t recent_orders = 5;

// Without the order module in this process, the user comes without orders.
Response user_response(identity::IdentityApi& identity, order::OrderApi* orders,
                       const std::string& id) {
  auto user = identity.user(id);
  if (!user) throw Failure(FailureKind::not_found, "user_not_found", "no user with id " + id);
  auto body = user_json(*user);
  if (!orders) return json_response(200, body);
  order::OrderQuery query;
  query.customer_id = id;
  query.limit = recent_orders;
  boost::json::array recent;
  for (const auto& order : orders->list(query).items) recent.push_back(order_json(order));
  body["recent_orders"] = std::move(recent);
  return json_response(200, body);
}

}  // namespace

identity::Registration read_registration(const Request& request) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  identity::Registration registration{fields.required_string("email"),
                                      fields.required_string("name"),
                                      fields.required_string("password")};
  fields.finish();
  return registration;
}

Credentials read_credentials(const Request& request) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  Credentials credentials{fields.required_string("email"), fields.required_string("password")};
  fields.finish();
  return credentials;
}

void add_identity_routes(Router& router, identity::IdentityApi& identity,
                         order::OrderApi* orders) {
  router.add({"POST", "/api/v1/users", Access::anyone, [&identity](RouteContext& context) {
                auto user = identity.register_customer(read_registration(context.request),
                                                       context.request.client_address);
                Response response = json_response(201, user_json(user));
                response.headers.emplace_back("Location", "/api/v1/users/" + user.id);
                return response;
              }});
  router.add({"POST", "/api/v1/sessions", Access::anyone, [&identity](RouteContext& context) {
                auto credentials = read_credentials(context.request);
                auto session = identity.log_in(credentials.email, credentials.password,
                                               context.request.client_address);
                return json_response(201, boost::json::object{
                                              {"token", session.token},
                                              {"token_type", "Bearer"},
                                              {"expires_at", time_json(session.expires_at)},
                                              {"user", user_json(session.user)}});
              }});
  router.add({"GET", "/api/v1/users/me", Access::signed_in,
              [&identity, orders](RouteContext& context) {
                return user_response(identity, orders, context.principal->user_id);
              }});
  router.add({"GET", "/api/v1/users/{id}", Access::signed_in,
              [&identity, orders](RouteContext& context) {
                require_self_or_staff(context, context.param("id"));
                return user_response(identity, orders, context.param("id"));
              }});
}

}  // namespace shop::http
