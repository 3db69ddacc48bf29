#include "adapters/http/health_routes.hpp"

#include <boost/json/object.hpp>

#include "adapters/http/responses.hpp"

namespace shop::http {

void add_health_routes(Router& router, std::vector<ReadinessCheck> checks,
                       const std::atomic<bool>& draining) {
  router.add({"GET", "/health/live", Access::anyone, [](RouteContext&) {
                return json_response(200, boost::json::object{{"status", "live"}});
              }});
  router.add({"GET", "/health/ready", Access::anyone,
              [checks = std::move(checks), &draining](RouteContext&) {
                boost::json::object results;
                bool ready = !draining.load();
                results["serving"] = ready ? "pass" : "fail";
                for (const auto& check : checks) {
                  bool passing = false;
                  try {
                    passing = check.passing();
                  } catch (const std::exception&) {
                    passing = false;
                  }
                  results[check.name] = passing ? "pass" : "fail";
                  ready = ready && passing;
                }
                Response response = json_response(
                    ready ? 200 : 503, boost::json::object{{"status", ready ? "ready" : "not_ready"},
                                                           {"checks", std::move(results)}});
                if (!ready) response.headers.emplace_back("Retry-After", "1");
                return response;
              }});
}

void add_openapi_route(Router& router) {
  router.add({"GET", "/openapi.json", Access::anyone, [](RouteContext&) {
                return Response{200, "application/json", {}, openapi_document(), nullptr};
              }});
}

}  // namespace shop::http
