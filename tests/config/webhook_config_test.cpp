#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "adapters/config/config.hpp"
#include "config/toml_file.hpp"

using shop::config::Config;
using shop::config::load;
using shop::config::Sources;

namespace {

using shop::testing::TomlFile;

Config load_text(const std::string& text) {
  TomlFile file(text);
  return load(Sources{file.path.string(), {}, {}});
}

void check_refused(const std::string& text, const std::string& message) {
  TomlFile file(text);
  CAPTURE(text);
  CHECK_THROWS_WITH_AS(load(Sources{file.path.string(), {}, {}}), doctest::Contains(message.c_str()),
                       std::runtime_error);
}

}  // namespace

TEST_CASE("webhooks: no subscribers and the documented retry settings by default") {
  Config config = load(Sources{SHOPBOX_SOURCE_DIR "/config/shopbox.example.toml", {}, {}});
  CHECK(config.webhooks.subscribers.empty());
  CHECK(config.webhooks.max_attempts == 8);
  CHECK(config.webhooks.initial_backoff_ms == 1000);
  CHECK(config.webhooks.max_backoff_ms == 300000);
  CHECK(config.webhooks.timeout_ms == 5000);
}

TEST_CASE("webhooks: subscribers are read from [[webhooks.subscribers]] tables") {
  Config config = load_text(R"(
[webhooks]
max_attempts = 5
timeout_ms = 2500

[[webhooks.subscribers]]
url = "https://erp.example.com/hooks/shopbox"
secret = "whsec-erp"
events = ["shop.order.paid.v1", "shop.delivery.delivered.v1"]

[[webhooks.subscribers]]
url = "http://10.0.0.7:9000"
secret = "whsec-all"
)");
  CHECK(config.webhooks.max_attempts == 5);
  CHECK(config.webhooks.timeout_ms == 2500);
  REQUIRE(config.webhooks.subscribers.size() == 2);
  const auto& erp = config.webhooks.subscribers[0];
  CHECK(erp.url == "https://erp.example.com/hooks/shopbox");
  CHECK(erp.secret == "whsec-erp");
  CHECK(erp.events == std::vector<std::string>{"shop.order.paid.v1", "shop.delivery.delivered.v1"});
  CHECK(config.webhooks.subscribers[1].url == "http://10.0.0.7:9000");
  CHECK(config.webhooks.subscribers[1].events.empty());

  Config flagged = load(Sources{SHOPBOX_SOURCE_DIR "/config/shopbox.example.toml",
                                {{"SHOPBOX_WEBHOOKS_MAX_BACKOFF_MS", "60000"}},
                                {"webhooks.initial_backoff_ms=500"}});
  CHECK(flagged.webhooks.max_backoff_ms == 60000);
  CHECK(flagged.webhooks.initial_backoff_ms == 500);
}

TEST_CASE("webhooks: mistakes are refused naming the subscriber and the key") {
  const std::string head = "[[webhooks.subscribers]]\n";
  check_refused(head + "url = \"ftp://erp.example.com\"\nsecret = \"s\"\n",
                "webhooks.subscribers[1].url: \"ftp://erp.example.com\" is not an http:// or "
                "https:// URL");
  check_refused(head + "url = \"https://\"\nsecret = \"s\"\n", "is not an http:// or https:// URL");
  check_refused(head + "url = \"https://erp.example.com/a b\"\nsecret = \"s\"\n",
                "is not an http:// or https:// URL");
  check_refused(head + "secret = \"s\"\n", "webhooks.subscribers[1].url");
  check_refused(head + "url = \"https://erp.example.com\"\nsecret = \"\"\n",
                "webhooks.subscribers[1].secret must not be empty");
  check_refused(head + "url = \"https://erp.example.com\"\n",
                "webhooks.subscribers[1].secret must not be empty");
  check_refused(head + "url = \"https://erp.example.com\"\nsecret = \"s\"\nevents = [\"order.paid\"]\n",
                "webhooks.subscribers[1].events: \"order.paid\" is not \"*\" or an event type");
  check_refused(head + "url = \"https://erp.example.com\"\nsecret = \"s\"\nevents = \"*\"\n",
                "webhooks.subscribers[1].events: expected an array");
  check_refused(head + "url = \"https://erp.example.com\"\nsecret = \"s\"\nretries = 3\n",
                "webhooks.subscribers[1].retries: unknown setting");
  check_refused(head + "url = 5\nsecret = \"s\"\n", "webhooks.subscribers[1].url: expected a string");
  check_refused(head + "url = \"https://a.example.com\"\nsecret = \"s\"\n" + head +
                    "url = \"https://a.example.com\"\nsecret = \"t\"\n",
                "webhooks.subscribers[2].url: \"https://a.example.com\" is listed twice");
  check_refused("[webhooks]\nsubscribers = \"https://a.example.com\"\n",
                "must be [[webhooks.subscribers]] tables");
  check_refused("[webhooks]\ninitial_backoff_ms = 5000\nmax_backoff_ms = 1000\n",
                "webhooks.max_backoff_ms (1000) must not be below webhooks.initial_backoff_ms (5000)");
  check_refused("[webhooks]\nmax_attempts = 0\n", "webhooks.max_attempts must be between 1 and 100");
  // Accepted: "*" and well-formed types.
  CHECK(load_text(head + "url = \"https://a.example.com\"\nsecret = \"s\"\n"
                         "events = [\"*\", \"shop.stock.low.v1\"]\n")
            .webhooks.subscribers.size() == 1);
}

TEST_CASE("webhooks: subscribers cannot come from the environment or a flag") {
  CHECK_THROWS_WITH_AS(load(Sources{SHOPBOX_SOURCE_DIR "/config/shopbox.example.toml",
                                    {{"SHOPBOX_WEBHOOKS_SUBSCRIBERS", "https://a.example.com"}},
                                    {}}),
                       doctest::Contains("SHOPBOX_WEBHOOKS_SUBSCRIBERS: unknown setting"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load(Sources{SHOPBOX_SOURCE_DIR "/config/shopbox.example.toml", {},
                                    {"webhooks.subscribers=https://a.example.com"}}),
                       doctest::Contains("unknown setting"), std::runtime_error);
}
