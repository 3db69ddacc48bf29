#include "adapters/http/catalog/catalog_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "adapters/http/catalog/catalog_requests.hpp"
#include "adapters/http/json_body.hpp"
#include "adapters/http/responses.hpp"

namespace shop::http {

namespace {

using catalog::ProductView;

boost::json::object product_json(const ProductView& product) {
  return {{"id", product.id},
          {"sku", product.sku},
          {"name", product.name},
          {"description", product.description},
          {"price", money_json(product.price)},
          {"category", product.category},
          {"version", product.version},
          {"created_at", time_json(product.created_at)},
          {"updated_at", time_json(product.updated_at)}};
}

std::string etag(std::int64_t version) {
  // Appended, not `"\"" + ...`: GCC 12 warns falsely on that at -O2 (PR 105329).
  std::string tag(1, '"');
  tag += std::to_string(version);
  tag += '"';
  return tag;
}

Response product_response(int status, const ProductView& product) {
  Response response = json_response(status, product_json(product));
  response.headers.emplace_back("ETag", etag(product.version));
  return response;
}

// The version an If-Match header demands: 0 for "*" (or, when optional, for
// none). A value that is no version of ours, weak tags included (If-Match
// compares strongly), can never match, so it is a stale version (412).
std::int64_t expected_version(const Request& request, bool required) {
  auto header = request.header("if-match");
  if (!header && required) {
    throw Failure(FailureKind::precondition_required, "if_match_required",
                  "send If-Match with the ETag of the version you edited, or \"*\"");
  }
  if (!header || *header == "*") return catalog::Product::any_version;
  std::string_view value = *header;
  std::int64_t version = -1;
  if (value.size() > 2 && value.front() == '"' && value.back() == '"') {
    auto digits = value.substr(1, value.size() - 2);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (error != std::errc() || end != digits.data() + digits.size()) version = -1;
  }
  if (version <= 0) {
    throw Failure(FailureKind::stale_version, "stale_version",
                  "If-Match must be an ETag this API sent, such as \"3\"");
  }
  return version;
}

}  // namespace

catalog::ProductInput read_product_input(const Request& request) {
  auto body = parse_json_body(request);
  FieldReader fields(body);
  catalog::ProductInput input{fields.required_string("sku"), fields.required_string("name"),
                              fields.optional_string("description").value_or(""),
                              fields.required_money("price"),
                              fields.optional_string("category").value_or("")};
  fields.finish();
  return input;
}

void add_catalog_routes(Router& router, catalog::CatalogApi& catalog) {
  router.add({"GET", "/api/v1/products", Access::anyone, [&catalog](RouteContext& context) {
                const Request& request = context.request;
                auto page = catalog.list({query_or(request, "category"), query_or(request, "q"),
                                          query_or(request, "cursor"), page_limit(request)});
                boost::json::array items;
                for (const auto& product : page.items) items.push_back(product_json(product));
                boost::json::value next = nullptr;
                if (page.next_cursor) next = *page.next_cursor;
                return json_response(200, boost::json::object{{"items", std::move(items)},
                                                              {"next_cursor", next}});
              }});
  router.add({"GET", "/api/v1/products/{id}", Access::anyone,
              [&catalog](RouteContext& context) {
                return product_response(200, catalog.get(context.param("id")));
              },
              Caching::until_changed});
  router.add({"POST", "/api/v1/products", Access::staff, [&catalog](RouteContext& context) {
                auto product = catalog.create(read_product_input(context.request));
                Response response = product_response(201, product);
                response.headers.emplace_back("Location", "/api/v1/products/" + product.id);
                return response;
              }});
  router.add({"PUT", "/api/v1/products/{id}", Access::staff, [&catalog](RouteContext& context) {
                std::int64_t version = expected_version(context.request, true);
                return product_response(
                    200, catalog.update(context.param("id"), read_product_input(context.request), version));
              }});
  router.add({"DELETE", "/api/v1/products/{id}", Access::staff, [&catalog](RouteContext& context) {
                catalog.remove(context.param("id"), expected_version(context.request, false));
                return no_content();
              }});
}

void forget_changed_product(ResponseCache& cache, const EventEnvelope& event) {
  // Changes made through another process reach this one only as events.
  if (!event.type.starts_with("shop.catalog.")) return;
  cache.forget("/api/v1/products/" + event.subject);
}

}  // namespace shop::http
