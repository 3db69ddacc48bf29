#include "adapters/http/metrics_route.hpp"

namespace shop::http {

void add_metrics_route(Router& router, std::vector<MetricsCollector> collectors) {
  router.add({"GET", "/metrics", Access::anyone,
              [collectors = std::move(collectors)](RouteContext&) {
                PrometheusText text;
                for (const auto& collect : collectors) collect(text);
                return Response{200, "text/plain; version=0.0.4; charset=utf-8", {}, text.text(),
                                nullptr};
              }});
}

}  // namespace shop::http
