#include "adapters/http/http_metrics.hpp"

#include <cstdio>
#include <string>

namespace shop::http {

void HttpMetrics::record(std::string_view route, std::string_view method, int status,
                         std::chrono::microseconds elapsed) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  auto& latency = latency_[{route, method}];
  for (std::size_t i = 0; i < latency_bucket_count; ++i) {
    if (seconds <= latency_buckets[i]) ++latency.buckets[i];
  }
  ++latency.count;
  latency.sum_seconds += seconds;
}

void HttpMetrics::render(PrometheusText& out) const {
  std::lock_guard lock(mutex_);
  out.family("shopbox_http_requests_total", "counter",
             "HTTP requests answered, by route pattern, method and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out.sample("shopbox_http_requests_total",
               {{"route", std::string(route)}, {"method", std::string(method)},
                {"status", std::to_string(status)}},
               double(count));
  }
  out.family("shopbox_http_request_duration_seconds", "histogram",
             "Time from a request's first byte read to its answer written.");
  for (const auto& [key, latency] : latency_) {
    std::string route(key.first);
    std::string method(key.second);
    for (std::size_t i = 0; i < latency_bucket_count; ++i) {
      char bound[16];
      std::snprintf(bound, sizeof bound, "%g", latency_buckets[i]);
      out.sample("shopbox_http_request_duration_seconds_bucket",
                 {{"route", route}, {"method", method}, {"le", bound}}, double(latency.buckets[i]));
    }
    out.sample("shopbox_http_request_duration_seconds_bucket",
               {{"route", route}, {"method", method}, {"le", "+Inf"}}, double(latency.count));
    out.sample("shopbox_http_request_duration_seconds_sum", {{"route", route}, {"method", method}},
               latency.sum_seconds);
    out.sample("shopbox_http_request_duration_seconds_count",
               {{"route", route}, {"method", method}}, double(latency.count));
  }
}

}  // namespace shop::http
