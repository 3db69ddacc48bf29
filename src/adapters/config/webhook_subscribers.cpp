#include "adapters/config/webhook_subscribers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace shop::config {

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char ch) { return char(std::tolower(ch)); });
  return text;
}

bool has_space_or_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char ch) {
    return std::isspace(ch) || std::iscntrl(ch);
  });
}

bool is_http_url(const std::string& url) {
  std::string lower = lowercase(url);
  std::string_view rest(lower);
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else {
    return false;
  }
  return !rest.empty() && rest.front() != '/' && !has_space_or_control(url);
}

// "*", or shop.<module>.<name>.v<N> as every shopbox event type is.
bool is_event_type(std::string_view type) {
  if (type == "*") return true;
  if (!type.starts_with("shop.")) return false;
  auto version = type.rfind(".v");
  if (version == std::string_view::npos || version + 2 == type.size()) return false;
  for (char ch : type.substr(version + 2)) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  }
  std::string_view middle = type.substr(5, version - 5);  // <module>.<name>
  auto dot = middle.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < middle.size() &&
         middle.find('.', dot + 1) == std::string_view::npos && !has_space_or_control(middle);
}

std::string text_of(const toml::node& node, const std::string& origin) {
  if (!node.is_string()) throw std::runtime_error(origin + ": expected a string");
  return *node.value<std::string>();
}

Config::Webhooks::Subscriber read_one(const toml::table& table, const std::string& origin) {
  Config::Webhooks::Subscriber subscriber;
  for (const auto& entry : table) {
    std::string key(entry.first.str());
    const toml::node& value = entry.second;
    std::string at = origin + "." + key;
    if (key == "url") {
      subscriber.url = text_of(value, at);
    } else if (key == "secret") {
      subscriber.secret = text_of(value, at);
    } else if (key == "events") {
      const auto* events = value.as_array();
      if (!events) throw std::runtime_error(at + ": expected an array of event types");
      for (const auto& event : *events) {
        std::string type = text_of(event, at);
        if (!is_event_type(type)) {
          throw std::runtime_error(fmt::format(
              "{}: \"{}\" is not \"*\" or an event type such as shop.order.paid.v1", at, type));
        }
        subscriber.events.push_back(type);
      }
    } else {
      throw std::runtime_error(at + ": unknown setting");
    }
  }
  if (!is_http_url(subscriber.url)) {
    throw std::runtime_error(
        fmt::format("{}.url: \"{}\" is not an http:// or https:// URL", origin, subscriber.url));
  }
  if (subscriber.secret.empty()) throw std::runtime_error(origin + ".secret must not be empty");
  return subscriber;
}

}  // namespace

std::vector<Config::Webhooks::Subscriber> read_webhook_subscribers(const toml::node& node,
                                                                   const std::string& file) {
  const auto* array = node.as_array();
  if (!array) {
    throw std::runtime_error(file +
                             ": webhooks.subscribers must be [[webhooks.subscribers]] tables");
  }
  std::vector<Config::Webhooks::Subscriber> subscribers;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string origin = fmt::format("{}: webhooks.subscribers[{}]", file, i + 1);
    const auto* table = (*array)[i].as_table();
    if (!table) throw std::runtime_error(origin + ": expected a table");
    auto subscriber = read_one(*table, origin);
    // The URL identifies a subscriber's deliveries.
    for (const auto& earlier : subscribers) {
      if (earlier.url == subscriber.url) {
        throw std::runtime_error(
            fmt::format("{}.url: \"{}\" is listed twice", origin, subscriber.url));
      }
    }
    subscribers.push_back(std::move(subscriber));
  }
  return subscribers;
}

}  // namespace shop::config
