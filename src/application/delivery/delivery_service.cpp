#include <utility>

#include "application/delivery/api.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::delivery {

namespace {

constexpr const char* consumer_name = "delivery";

// The facade's status lists the domain's in the same order, so converting
// is a cast; these keep the two lists in step.
static_assert(static_cast<int>(DeliveryStatus::requested) == static_cast<int>(Status::requested));
static_assert(static_cast<int>(DeliveryStatus::accepted) == static_cast<int>(Status::accepted));
static_assert(static_cast<int>(DeliveryStatus::preparing) == static_cast<int>(Status::preparing));
static_assert(static_cast<int>(DeliveryStatus::dispatched) == static_cast<int>(Status::dispatched));
static_assert(static_cast<int>(DeliveryStatus::delivered) == static_cast<int>(Status::delivered));
static_assert(static_cast<int>(DeliveryStatus::cancelled) == static_cast<int>(Status::cancelled));

Status domain_status(DeliveryStatus status) { return static_cast<Status>(status); }
DeliveryStatus api_status(Status status) { return static_cast<DeliveryStatus>(status); }

Address address_of(const order::DeliveryAddress& address) {
  return Address{address.name,        address.line1,      address.line2,
                 address.city,        address.postal_code, address.phone};
}

DeliveryView view_of(const Delivery& delivery) {
  const DeliveryData& d = delivery.data();
  return DeliveryView{d.id,
                      d.order_id,
                      d.customer_id,
                      api_status(d.status),
                      order::DeliveryAddress{d.address.name, d.address.line1, d.address.line2,
                                             d.address.city, d.address.postal_code,
                                             d.address.phone},
                      d.cancel_reason,
                      d.created_at,
                      d.updated_at};
}

template <class Event>
Event event_of(const Delivery& delivery) {
  Event event;
  event.delivery_id = delivery.id();
  event.order_id = delivery.order_id();
  event.customer_id = delivery.data().customer_id;
  return event;
}

Failure not_found(const std::string& delivery_id) {
  return Failure(FailureKind::not_found, "delivery_not_found",
                 "no delivery with id " + delivery_id);
}

class DeliveryService final : public DeliveryApi {
 public:
  explicit DeliveryService(DeliveryDependencies deps) : deps_(std::move(deps)) {}

  DeliveryView advance(const std::string& delivery_id, DeliveryStatus target) override {
    Status to = domain_status(target);
    // A dry run on what is committed now: a refused move must not reach the
    // order, whose begin_dispatch cannot be taken back.
    Delivery probe = load(delivery_id);
    if (!probe.advance(to, deps_.clock.now())) return view_of(probe);
    if (to == Status::dispatched) {
      // Outside any transaction of ours (SPEC 1). Should our commit below
      // fail, a retry calls it again, which the order treats as a no-op.
      deps_.dispatch.begin_dispatch(probe.order_id());
    }
    std::optional<Delivery> result;
    deps_.store.write([&](DeliveryTransaction& tx) {
      auto delivery = tx.find(delivery_id);
      if (!delivery) throw not_found(delivery_id);
      Status from = delivery->status();
      result = delivery;
      // Another staff member may have made the same move meanwhile.
      if (!result->advance(to, deps_.clock.now())) return;
      tx.save(*result);
      auto changed = event_of<DeliveryStatusChanged>(*result);
      changed.from = to_string(from);
      changed.to = to_string(to);
      publish(tx, changed);
      if (to == Status::delivered) publish(tx, event_of<DeliveryDelivered>(*result));
    });
    return view_of(*result);
  }

  DeliveryView get(const std::string& delivery_id) override {
    return view_of(load(delivery_id));
  }

  DeliveryPage list(const DeliveryQuery& query) override {
    if (query.limit < 1 || query.limit > max_page_size) {
      throw invalid_field("limit", "must be between 1 and " + std::to_string(max_page_size));
    }
    validate_text(query.cursor, "cursor", 0, 100);
    validate_text(query.order_id, "order_id", 0, 100);
    validate_text(query.customer_id, "customer_id", 0, 100);
    std::optional<Status> status;
    if (query.status) status = domain_status(*query.status);
    // One row more than asked tells whether another page exists.
    auto deliveries = deps_.store.list(
        {status, query.order_id, query.customer_id, query.cursor, query.limit + 1});
    DeliveryPage page;
    for (std::size_t i = 0; i < deliveries.size() && i < query.limit; ++i) {
      page.items.push_back(view_of(deliveries[i]));
    }
    if (deliveries.size() > query.limit) page.next_cursor = page.items.back().id;
    return page;
  }

  // One commit for a batch: under load a relay batch holds a hundred
  // orders paid, and a commit each made deliveries trail the orders further
  // and further. A failing event fails the batch; the relay then delivers
  // its events one at a time, which finds the one at fault.
  void on_order_events(const std::vector<EventEnvelope>& events) override {
    std::vector<const EventEnvelope*> ours;
    for (const auto& event : events) {
      if (event.type == order::OrderPaid::type || event.type == order::OrderCancelled::type) {
        ours.push_back(&event);
      }
    }
    if (ours.empty()) return;
    deps_.store.write([&](DeliveryTransaction& tx) {
      for (const auto* event : ours) {
        if (event->type == order::OrderPaid::type) {
          request(tx, event->id, order::decode_order_paid(event->data));
        } else {
          cancel(tx, event->id, order::decode_order_cancelled(event->data));
        }
      }
    });
  }

 private:
  Delivery load(const std::string& delivery_id) {
    auto delivery = deps_.store.find(delivery_id);
    if (!delivery) throw not_found(delivery_id);
    return *delivery;
  }

  // Once per order: the inbox drops a redelivered event, and the order
  // lookup (backed by a unique key in the store) a second paid event.
  void request(DeliveryTransaction& tx, const std::string& event_id, const order::OrderPaid& paid) {
    if (!tx.first_delivery(consumer_name, event_id)) return;
    if (tx.by_order(paid.order_id)) return;
    auto delivery = Delivery::request(deps_.ids.next(), paid.order_id, paid.customer_id,
                                      address_of(paid.delivery_address), deps_.clock.now());
    tx.save(delivery);
    publish(tx, event_of<DeliveryRequested>(delivery));
  }

  // The order refuses to cancel once dispatch began, so a dispatched
  // delivery here is a stale event: it is left as it is, not failed on,
  // which would only retry and park it.
  void cancel(DeliveryTransaction& tx, const std::string& event_id,
              const order::OrderCancelled& cancelled) {
    if (!tx.first_delivery(consumer_name, event_id)) return;
    auto delivery = tx.by_order(cancelled.order_id);
    if (!delivery || delivery->dispatch_begun()) return;
    if (!delivery->cancel(cancelled.reason, deps_.clock.now())) return;
    tx.save(*delivery);
    auto event = event_of<DeliveryCancelled>(*delivery);
    event.reason = cancelled.reason;
    publish(tx, event);
  }

  template <class Event>
  void publish(DeliveryTransaction& tx, const Event& event) {
    tx.publish(make_envelope(event, deps_.ids.next(), deps_.clock.now()));
  }

  DeliveryDependencies deps_;
};

}  // namespace

const char* to_string(DeliveryStatus status) { return to_string(domain_status(status)); }

std::optional<DeliveryStatus> delivery_status_from_string(const std::string& text) {
  if (auto status = status_from_string(text)) return api_status(*status);
  return std::nullopt;
}

std::unique_ptr<DeliveryApi> make_delivery_service(DeliveryDependencies dependencies) {
  return std::make_unique<DeliveryService>(std::move(dependencies));
}

}  // namespace shop::delivery
