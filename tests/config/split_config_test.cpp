#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/config/config.hpp"

using shop::config::load;
using shop::config::modules_to_run;
using shop::config::Sources;

namespace {

const std::string example = SHOPBOX_SOURCE_DIR "/config/shopbox.example.toml";

// The settings of process B of the README's three-process layout, plus `more`.
Sources process_b(std::vector<std::string> more = {}) {
  std::vector<std::string> overrides{"modules.run=identity,order,payment",
                                     "events.bus=kafka",
                                     "kafka.brokers=127.0.0.1:9092",
                                     "modules.service_token=0123456789abcdef",
                                     "modules.catalog_url=http://10.0.0.1:8080",
                                     "modules.stock_url=http://10.0.0.1:8080"};
  overrides.insert(overrides.end(), more.begin(), more.end());
  return Sources{example, {}, overrides};
}

}  // namespace

TEST_CASE("modules.run names modules, in the order a process builds them") {
  CHECK(modules_to_run("all").size() == 7);
  CHECK(modules_to_run("order,identity") == std::vector<std::string>{"identity", "order"});
  CHECK_THROWS_WITH_AS(modules_to_run("catalog,shipping"),
                       doctest::Contains("unknown module \"shipping\""), std::invalid_argument);
  CHECK_THROWS_WITH_AS(modules_to_run("stock,stock"), doctest::Contains("named twice"),
                       std::invalid_argument);
  CHECK_THROWS_AS(modules_to_run(""), std::invalid_argument);
  CHECK_THROWS_AS(modules_to_run("stock,"), std::invalid_argument);
}

TEST_CASE("a split process has what it needs to reach the others, or does not start") {
  CHECK(load(process_b()).modules.run == "identity,order,payment");
  CHECK_THROWS_WITH_AS(load(process_b({"events.bus=inprocess"})),
                       doctest::Contains("events.bus must be \"kafka\""), std::runtime_error);
  CHECK_THROWS_WITH_AS(load(process_b({"modules.service_token=short"})),
                       doctest::Contains("modules.service_token"), std::runtime_error);
  // Order calls stock: without its address it could place no order.
  CHECK_THROWS_WITH_AS(load(process_b({"modules.stock_url="})),
                       doctest::Contains("modules.stock_url must be set: order runs here"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load(process_b({"modules.run=delivery"})),
                       doctest::Contains("modules.identity_url must be set"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load(process_b({"modules.run=warehouse"})),
                       doctest::Contains("modules.run: unknown module"), std::runtime_error);
  // One process with every module needs none of it.
  CHECK(load(Sources{example, {}, {"modules.run=all"}}).modules.run == "all");
}
