#include "adapters/kafka/cloudevents_binding.hpp"

#include "application/shared/event_json.hpp"
#include "application/shared/json_fields.hpp"

namespace shop::kafka {

std::string topic_of(const std::string& prefix, std::string_view module) {
  return prefix + "." + std::string(module) + ".events";
}

std::string module_of(std::string_view type) {
  auto first = type.find('.');
  auto second = first == std::string::npos ? first : type.find('.', first + 1);
  if (type.substr(0, first) != "shop" || second == std::string::npos || second == first + 1) {
    throw MalformedEnvelope("the event type " + std::string(type) +
                            " is not shop.<module>.<name>.v<N>");
  }
  return std::string(type.substr(first + 1, second - first - 1));
}

Message to_message(const std::string& prefix, const EventEnvelope& event) {
  return Message{topic_of(prefix, module_of(event.type)),
                 event.subject,
                 event.data,
                 {{"ce_specversion", "1.0"},
                  {"ce_id", event.id},
                  {"ce_type", event.type},
                  {"ce_source", event.source},
                  {"ce_subject", event.subject},
                  {"ce_time", json::format_time(event.time)},
                  {"content-type", "application/json"}}};
}

EventEnvelope from_message(const Headers& headers, std::string_view value) {
  std::map<std::string, std::string, std::less<>> attributes;
  for (const auto& [name, content] : headers) {
    if (name.starts_with("ce_")) {
      attributes[name.substr(3)] = content;
    } else if (name == "content-type") {
      attributes["datacontenttype"] = content;
    }
  }
  return decode_envelope_binary(attributes, value);
}

}  // namespace shop::kafka
