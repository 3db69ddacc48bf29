#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "adapters/config/config.hpp"
#include "config/toml_file.hpp"

using shop::config::Config;
using shop::config::load;
using shop::config::Sources;

namespace {

using shop::testing::TomlFile;

const std::string example = SHOPBOX_SOURCE_DIR "/config/shopbox.example.toml";

}  // namespace

TEST_CASE("defaults serve on 8080 with SQLite under data/") {
  Config config = load(Sources{example, {}, {}});
  CHECK(config.http.port == 8080);
  CHECK(config.database.path == "data/shopbox.db");
  CHECK(config.database.synchronous == "full");
}

TEST_CASE("file < environment < flags") {
  TomlFile file("[http]\nport = 9000\nthreads = 3\n");
  Config from_file = load(Sources{file.path.string(), {}, {}});
  CHECK(from_file.http.port == 9000);
  CHECK(from_file.http.threads == 3);

  Config from_env = load(Sources{file.path.string(), {{"SHOPBOX_HTTP_PORT", "9100"}}, {}});
  CHECK(from_env.http.port == 9100);
  CHECK(from_env.http.threads == 3);

  Config from_flag =
      load(Sources{file.path.string(), {{"SHOPBOX_HTTP_PORT", "9100"}}, {"http.port=9200"}});
  CHECK(from_flag.http.port == 9200);
}

TEST_CASE("mistakes are refused with the key that caused them") {
  TomlFile unknown("[http]\nprot = 9000\n");
  CHECK_THROWS_WITH_AS(load(Sources{unknown.path.string(), {}, {}}),
                       doctest::Contains("http.prot: unknown setting"), std::runtime_error);
  TomlFile mistyped("[http]\nport = \"eighty\"\n");
  CHECK_THROWS_WITH_AS(load(Sources{mistyped.path.string(), {}, {}}),
                       doctest::Contains("expected an integer"), std::runtime_error);
  TomlFile broken("[http\nport = 1\n");
  CHECK_THROWS_AS(load(Sources{broken.path.string(), {}, {}}), std::runtime_error);
  CHECK_THROWS_WITH_AS(load(Sources{example, {{"SHOPBOX_HTTP_PROT", "80"}}, {}}),
                       doctest::Contains("SHOPBOX_HTTP_PROT: unknown setting"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load(Sources{example, {{"SHOPBOX_HTTP_PORT", "80x"}}, {}}),
                       doctest::Contains("SHOPBOX_HTTP_PORT"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"http.port=70000"}}),
                       doctest::Contains("http.port must be between 0 and 65535"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"database.synchronous=off"}}),
                       doctest::Contains("must be one of: full, normal"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"shop.currency=won"}}),
                       doctest::Contains("three-letter ISO 4217"), std::runtime_error);
  CHECK_THROWS_AS(load(Sources{example, {}, {"nodot=1"}}), std::runtime_error);
  CHECK_THROWS_AS(load(Sources{"/nonexistent/shopbox.toml", {}, {}}), std::runtime_error);
}

TEST_CASE("the example file sets every setting, each with a comment above it") {
  std::ifstream in(example);
  REQUIRE(in);
  std::string line, section, previous;
  std::set<std::string> documented;
  while (std::getline(in, line)) {
    if (line.starts_with("[")) {
      section = line.substr(1, line.find(']') - 1);
    } else if (!line.empty() && line[0] != '#' && line.find('=') != std::string::npos) {
      std::string key = line.substr(0, line.find(' '));
      INFO(section, ".", key);
      CHECK(previous.starts_with("#"));
      documented.insert(section + "." + key);
    }
    previous = line;
  }
  for (const auto& name : shop::config::setting_names()) {
    INFO(name);
    CHECK(documented.contains(name));
  }
  CHECK(documented.size() == shop::config::setting_names().size());
}

TEST_CASE("PostgreSQL session limits: defaults, set from the environment, bounded") {
  Config defaults = load(Sources{example, {}, {}});
  CHECK(defaults.database.lock_timeout_ms == 5000);
  CHECK(defaults.database.idle_in_transaction_timeout_ms == 30000);
  Config set = load(Sources{example,
                            {{"SHOPBOX_DATABASE_LOCK_TIMEOUT_MS", "800"},
                             {"SHOPBOX_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS", "60000"}},
                            {}});
  CHECK(set.database.lock_timeout_ms == 800);
  CHECK(set.database.idle_in_transaction_timeout_ms == 60000);
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"database.lock_timeout_ms=0"}}),
                       doctest::Contains("database.lock_timeout_ms must be between 1 and"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load(Sources{example, {}, {"database.idle_in_transaction_timeout_ms=10"}}),
      doctest::Contains("database.idle_in_transaction_timeout_ms must be between 1000 and"),
      std::runtime_error);
}

TEST_CASE("database.lease_ttl_ms: 15 s by default, a second at least") {
  CHECK(load(Sources{example, {}, {}}).database.lease_ttl_ms == 15000);
  CHECK(load(Sources{example, {{"SHOPBOX_DATABASE_LEASE_TTL_MS", "3000"}}, {}})
            .database.lease_ttl_ms == 3000);
  CHECK(load(Sources{example, {}, {"database.lease_ttl_ms=1000"}}).database.lease_ttl_ms == 1000);
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"database.lease_ttl_ms=999"}}),
                       doctest::Contains("database.lease_ttl_ms must be between 1000 and 600000"),
                       std::runtime_error);
}

TEST_CASE("the http payment gateway needs its URL") {
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"payment.gateway=http"}}),
                       doctest::Contains("payment.http_url must be set"), std::runtime_error);
  Config http = load(Sources{example,
                             {{"SHOPBOX_PAYMENT_HTTP_API_KEY", "sk_live_1"}},
                             {"payment.gateway=http", "payment.http_url=https://pay.example.com/v1",
                              "payment.http_timeout_ms=2500"}});
  CHECK(http.payment.gateway == "http");
  CHECK(http.payment.http_url == "https://pay.example.com/v1");
  CHECK(http.payment.http_api_key == "sk_live_1");
  CHECK(http.payment.http_timeout_ms == 2500);
  CHECK_THROWS_WITH_AS(load(Sources{example, {}, {"payment.gateway=stripe"}}),
                       doctest::Contains("must be one of: sandbox, http"), std::runtime_error);
  CHECK_THROWS_AS(load(Sources{example, {}, {"payment.http_timeout_ms=0"}}), std::runtime_error);
}

TEST_CASE("shop.utc_offset: Z by default, ±HH:MM within ±14:00") {
  using std::chrono::minutes;
  CHECK(load(Sources{example, {}, {}}).shop.utc_offset == "Z");
  CHECK(load(Sources{example, {}, {"shop.utc_offset=+09:00"}}).shop.utc_offset == "+09:00");
  CHECK(load(Sources{example, {{"SHOPBOX_SHOP_UTC_OFFSET", "-05:30"}}, {}}).shop.utc_offset ==
        "-05:30");
  CHECK(shop::config::parse_utc_offset("Z") == minutes(0));
  CHECK(shop::config::parse_utc_offset("+09:00") == minutes(540));
  CHECK(shop::config::parse_utc_offset("-05:30") == minutes(-330));
  CHECK(shop::config::parse_utc_offset("+14:00") == minutes(840));
  CHECK(shop::config::parse_utc_offset("-14:00") == minutes(-840));
  for (const char* wrong : {"+14:01", "-15:00", "+09:60", "09:00", "+9:00", "+09", "z", "UTC",
                            "+09:00 ", ""}) {
    CAPTURE(wrong);
    CHECK_THROWS_AS(shop::config::parse_utc_offset(wrong), std::invalid_argument);
    CHECK_THROWS_WITH_AS(load(Sources{example, {}, {std::string("shop.utc_offset=") + wrong}}),
                         doctest::Contains("shop.utc_offset"), std::runtime_error);
  }
  TomlFile mistyped("[shop]\nutc_offset = 9\n");
  CHECK_THROWS_WITH_AS(load(Sources{mistyped.path.string(), {}, {}}),
                       doctest::Contains("expected a string"), std::runtime_error);
}
