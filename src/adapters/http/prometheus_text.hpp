#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shop::http {

using MetricLabels = std::vector<std::pair<std::string_view, std::string>>;

// Writes the Prometheus text exposition format (0.0.4): each family's HELP
// and TYPE lines, then its samples.
class PrometheusText {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const MetricLabels& labels, double value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Latency buckets in seconds, shared by every histogram shopbox exports.
inline constexpr double latency_buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1,    2.5, 5};
inline constexpr std::size_t latency_bucket_count = std::size(latency_buckets);

}  // namespace shop::http
