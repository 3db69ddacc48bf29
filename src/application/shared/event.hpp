#pragma once

#include <string>

#include "domain/shared/time.hpp"

namespace shop {

// A CloudEvents 1.0 envelope: `data` holds the event's JSON text, whose
// schema is fixed by its `type` (shop.<module>.<event>.v<N>).
struct EventEnvelope {
  std::string id;
  std::string type;
  std::string source;
  std::string subject;
  Timestamp time;
  std::string data;

  friend bool operator==(const EventEnvelope&, const EventEnvelope&) = default;
};

// Wraps a module event (a struct with `type`, `source`, `subject()` and an
// `encode` overload) in its envelope.
template <class Event>
EventEnvelope make_envelope(const Event& event, std::string id, Timestamp time) {
  return EventEnvelope{std::move(id), Event::type, Event::source, event.subject(), time,
                       encode(event)};
}

}  // namespace shop
