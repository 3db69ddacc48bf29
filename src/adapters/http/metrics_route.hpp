#pragma once

#include <functional>
#include <vector>

#include "adapters/http/prometheus_text.hpp"
#include "adapters/http/router.hpp"

namespace shop::http {

// Adds its metric families to a scrape.
using MetricsCollector = std::function<void(PrometheusText&)>;

// GET /metrics in the Prometheus text format, gathered at each scrape. Open
// to anyone, like the probes: keep it inside the shop's network.
void add_metrics_route(Router& router, std::vector<MetricsCollector> collectors);

}  // namespace shop::http
