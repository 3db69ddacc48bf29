#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "application/shared/event.hpp"

namespace shop {

// The bus itself could not take the events (a broker down, a timeout):
// nothing is wrong with them. The relay keeps them and tries again later,
// without counting it against them.
class BusUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Delivers committed events to the modules that consume them. Delivery is
// at least once; consumers make it exactly-once in effect with their inbox.
class EventBus {
 public:
  using Handler = std::function<void(const EventEnvelope&)>;
  // Events in commit order; handling them all in one transaction saves a
  // commit (an fsync) per event.
  using BatchHandler = std::function<void(const std::vector<EventEnvelope>&)>;

  virtual ~EventBus() = default;
  // Returns once every subscriber handled the event; throws when one failed,
  // so that the caller keeps the event and tries again later. BusUnavailable
  // or Failure(unavailable) when the bus, or a database a subscriber needs,
  // cannot take it now: no fault of the event.
  virtual void publish(const EventEnvelope& event) = 0;
  // The same for events in commit order, as one delivery: a failure of any
  // handler fails the whole batch, and the caller delivers its events again
  // (one by one, to find the one at fault).
  virtual void publish_batch(const std::vector<EventEnvelope>& events) = 0;
  // `consumer` names the subscriber in logs and inbox rows.
  virtual void subscribe(std::string type, std::string consumer, Handler handler) = 0;
  // Every event of every type (the dashboard keeps them all), in batches.
  virtual void subscribe_all(std::string consumer, BatchHandler handler) = 0;
};

}  // namespace shop
