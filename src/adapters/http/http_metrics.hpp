#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string_view>
#include <tuple>

#include "adapters/http/prometheus_text.hpp"

namespace shop::http {

// Requests by route, method and status, and their latency by route and
// method. Routes are the patterns (`/api/v1/orders/{id}`), never paths, so
// that the series stay few; the views point at the router's routes, which
// outlive the server.
class HttpMetrics {
 public:
  void record(std::string_view route, std::string_view method, int status,
              std::chrono::microseconds elapsed);
  void render(PrometheusText& out) const;

 private:
  struct Latency {
    std::array<std::uint64_t, latency_bucket_count> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  using RouteKey = std::pair<std::string_view, std::string_view>;

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string_view, std::string_view, int>, std::uint64_t> requests_;
  std::map<RouteKey, Latency> latency_;
};

}  // namespace shop::http
