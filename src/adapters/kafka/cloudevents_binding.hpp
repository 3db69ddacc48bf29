#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "application/shared/event.hpp"

namespace shop::kafka {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One event as a Kafka message, in the CloudEvents Kafka protocol binding's
// binary mode: the attributes in ce_* headers, the JSON data as the value,
// so that a consumer in any language can read it.
struct Message {
  std::string topic;
  std::string key;  // the subject: one aggregate's events share a partition, in order
  std::string value;
  Headers headers;
};

// "<prefix>.<module>.events": each module publishes to a topic of its own.
std::string topic_of(const std::string& prefix, std::string_view module);
// The module an event type comes from (shop.<module>.<name>.v<N>). Throws
// MalformedEnvelope for a type of another shape.
std::string module_of(std::string_view type);

Message to_message(const std::string& prefix, const EventEnvelope& event);
// Throws MalformedEnvelope when the headers or the value are not a
// shopbox event in that binding.
EventEnvelope from_message(const Headers& headers, std::string_view value);

}  // namespace shop::kafka
