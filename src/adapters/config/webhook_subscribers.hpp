#pragma once

#include <string>
#include <toml++/toml.h>
#include <vector>

#include "adapters/config/config.hpp"

namespace shop::config {

// The [[webhooks.subscribers]] tables of a config file:
//   [[webhooks.subscribers]]
//   url = "https://example.com/hooks"
//   secret = "..."
//   events = ["shop.order.paid.v1"]   # optional; "*" or none: every event
// Throws std::runtime_error naming `file`, the subscriber's position and
// the key for an unknown key, a mistyped value, a URL that is not http(s)
// or listed twice, an empty secret, or an event type not shaped
// shop.<module>.<name>.v<N>. The URL is parsed in full when its client is
// built; this catches what can be told without that.
std::vector<Config::Webhooks::Subscriber> read_webhook_subscribers(const toml::node& node,
                                                                   const std::string& file);

}  // namespace shop::config
