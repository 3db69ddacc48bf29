#include <algorithm>
#include <map>
#include <utility>

#include "application/delivery/events.hpp"
#include "application/order/api.hpp"
#include "application/order/events.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::order {

namespace {

constexpr const char* consumer_name = "order";
// A saga never needs more steps than this; more means a bug, not progress.
constexpr int max_saga_steps = 16;

DeliveryAddress address_data(const Address& a) {
  return DeliveryAddress{a.name, a.line1, a.line2, a.city, a.postal_code, a.phone};
}

Address address_of(const DeliveryAddress& a) {
  return Address{a.name, a.line1, a.line2, a.city, a.postal_code, a.phone};
}

std::vector<OrderLineData> lines_data(const Order& order) {
  std::vector<OrderLineData> lines;
  for (const auto& line : order.lines()) {
    lines.push_back({line.product_id, line.sku, line.name, line.unit_price, line.quantity});
  }
  return lines;
}

OrderView view_of(const Order& order) {
  const auto& d = order.data();
  return OrderView{d.id,   d.customer_id, d.status,         d.cancel_reason, lines_data(order),
                   d.total, address_data(d.address), d.payment_method, d.created_at, d.updated_at};
}

Failure order_not_found(const std::string& id) {
  return Failure(FailureKind::not_found, "order_not_found", "no order with id " + id);
}

template <class Event>
Event event_of(const Order& order) {
  Event event;
  event.order_id = order.id();
  event.customer_id = order.data().customer_id;
  return event;
}

class OrderService final : public OrderApi {
 public:
  explicit OrderService(OrderDependencies deps) : deps_(std::move(deps)) {}

  Placement place(const PlaceOrder& command) override {
    // Priced before anything is written: the catalog is another module.
    Order order = Order::start(deps_.ids.next(), command.customer_id, price(command.lines),
                               address_of(command.delivery_address), command.payment_method,
                               command.payment_token, deps_.clock.now());
    Request request{command, deps_.clock.now(), {}, false};
    deps_.store.write([&](OrderTransaction& tx) {
      tx.save(order);
      if (!command.idempotency_key.empty()) claim_key(tx, request, order.id());
    });
    try {
      Placement placement = placement_of(run_saga(order.id(), &request));
      placement.shortages = std::move(request.shortages);
      placement.request_settled = request.settled;
      return placement;
    } catch (const std::exception& error) {
      // The order exists: recovery finishes it, and its key must stay bound
      // to it, or a retry would place (and charge) a second order.
      deps_.log.write(LogLevel::warn, "saga interrupted; recovery will finish it",
                      {{"order_id", order.id()}, {"error", error.what()}});
      Placement interrupted;
      interrupted.result = PlacementResult::interrupted;
      interrupted.retry_after_seconds = deps_.settings.retry_after_seconds;
      return interrupted;
    }
  }

  OrderView cancel(const std::string& order_id, const std::string& reason) override {
    std::optional<Order> cancelled;
    deps_.store.write([&](OrderTransaction& tx) {
      cancelled = tx.find(order_id);
      if (!cancelled || !cancelled->visible()) throw order_not_found(order_id);
      bool was_paid = cancelled->paid();
      cancelled->cancel(reason, deps_.clock.now());
      tx.save(*cancelled);
      auto event = event_of<OrderCancelled>(*cancelled);
      event.reason = cancelled->data().cancel_reason;
      event.was_paid = was_paid;
      event.total = cancelled->data().total;
      publish(tx, event);
    });
    // A deferred order still holds stock: the saga releases it now, or
    // recovery does if that fails; the cancel itself is committed either way.
    try {
      return view_of(run_saga(order_id, nullptr));
    } catch (const std::exception& error) {
      deps_.log.write(LogLevel::warn, "release after cancel failed; recovery will retry",
                      {{"order_id", order_id}, {"error", error.what()}});
      return view_of(*cancelled);
    }
  }

  OrderView get(const std::string& order_id) override {
    auto order = deps_.store.find(order_id);
    if (!order || !order->visible()) throw order_not_found(order_id);
    return view_of(*order);
  }

  OrderPage list(const OrderQuery& query) override {
    if (query.limit < 1 || query.limit > max_page_size) {
      throw invalid_field("limit", "must be between 1 and " + std::to_string(max_page_size));
    }
    validate_text(query.cursor, "cursor", 0, 100);
    auto orders = deps_.store.list(
        OrderFilter{query.status, query.customer_id, query.cursor, query.limit + 1});
    OrderPage page;
    for (std::size_t i = 0; i < orders.size() && i < query.limit; ++i) {
      page.items.push_back(view_of(orders[i]));
    }
    if (orders.size() > query.limit) page.next_cursor = page.items.back().id;
    return page;
  }

  std::vector<std::pair<Status, std::int64_t>> count_by_status() override {
    return deps_.store.count_by_status();
  }

  void begin_dispatch(const std::string& order_id) override {
    deps_.store.write([&](OrderTransaction& tx) {
      auto order = tx.find(order_id);
      if (!order || !order->visible()) throw order_not_found(order_id);
      if (!order->begin_dispatch(deps_.clock.now())) return;
      tx.save(*order);
      publish(tx, event_of<OrderInDelivery>(*order));
    });
  }

  void on_delivery_event(const EventEnvelope& event) override {
    if (event.type != delivery::DeliveryDelivered::type) return;
    auto delivered = delivery::decode_delivery_delivered(event.data);
    deps_.store.write([&](OrderTransaction& tx) {
      if (!tx.first_delivery(consumer_name, event.id)) return;
      auto order = tx.find(delivered.order_id);
      if (!order || !order->delivered(deps_.clock.now())) return;
      tx.save(*order);
      publish(tx, event_of<OrderDelivered>(*order));
    });
  }

  IdempotencyBegin begin_request(const std::string& customer_id, const std::string& key,
                                 const std::string& body_digest) override {
    validate_text(key, "Idempotency-Key", 1, 200);
    IdempotencyBegin begin;
    Timestamp now = deps_.clock.now();
    if (!judge(deps_.store.idempotency(customer_id, key), body_digest, now, begin)) return begin;
    // An unfinished request is judged in a transaction: it may start over.
    deps_.store.write([&](OrderTransaction& tx) {
      auto record = tx.idempotency(customer_id, key);
      if (judge(record, body_digest, now, begin)) {
        begin.state = unfinished_request(tx, *record, now, begin.placement);
      }
    });
    return begin;
  }

  void complete_request(const std::string& customer_id, const std::string& key, int status,
                        const std::string& body) override {
    deps_.store.write([&](OrderTransaction& tx) {
      auto record = tx.idempotency(customer_id, key);
      if (!record) return;
      record->completed = true;
      record->status = status;
      record->body = body;
      tx.save(*record);
    });
  }

  void abandon_request(const std::string& customer_id, const std::string& key) override {
    deps_.store.write([&](OrderTransaction& tx) { tx.forget(customer_id, key); });
  }

  std::size_t recover() override {
    std::size_t moved = 0;
    Timestamp now = deps_.clock.now();
    for (const auto& order_id : deps_.store.unfinished(now, 500)) {
      auto before = deps_.store.find(order_id);
      if (!before || before->next_action(now) == Action::none) continue;
      bool waiting = before->step() == Step::awaiting_retry;
      if (!waiting && now - before->data().updated_at < millis(deps_.settings.recovery_grace)) {
        continue;
      }
      // One saga that keeps failing must not stop the others.
      try {
        auto after = run_saga(order_id, nullptr);
        if (after.step() != before->step()) ++moved;
      } catch (const std::exception& error) {
        deps_.log.write(LogLevel::error, "saga recovery failed; will retry",
                        {{"order_id", order_id}, {"error", error.what()}});
      }
    }
    deps_.store.write([&](OrderTransaction& tx) {
      tx.forget_keys_before(deps_.clock.now() - ttl());
    });
    return moved;
  }

 private:
  // The placing request, as its saga settles it.
  struct Request {
    const PlaceOrder& command;
    Timestamp claimed_at;
    std::vector<stock::Shortage> shortages;
    bool settled;
  };

  // Sets `begin` from what a key holds. True for an unfinished request, whose
  // order must be looked at; a key never seen (or expired) is fresh, and
  // `place` claims it.
  bool judge(const std::optional<IdempotencyRecord>& record, const std::string& body_digest,
             Timestamp now, IdempotencyBegin& begin) const {
    begin = IdempotencyBegin{};
    if (!record || now - record->created_at >= ttl()) return false;
    if (record->body_digest != body_digest) {
      begin.state = IdempotencyBegin::State::mismatch;
      return false;
    }
    if (!record->completed) return true;
    begin.state = IdempotencyBegin::State::replay;
    begin.status = record->status;
    begin.body = record->body;
    return false;
  }

  // Two requests with one key both found it fresh: the first to write its
  // order wins, the other's order is rolled back.
  void claim_key(OrderTransaction& tx, const Request& request, const std::string& order_id) {
    const PlaceOrder& command = request.command;
    auto claimed = tx.idempotency(command.customer_id, command.idempotency_key);
    if (claimed && request.claimed_at - claimed->created_at < ttl()) throw request_in_progress();
    tx.save(IdempotencyRecord{command.customer_id, command.idempotency_key, command.body_digest,
                              false, 0, "", request.claimed_at, order_id});
  }

  // In the transaction of the saga's last step: the answer kept for replays,
  // or the key forgotten so that a retry may succeed later (SPEC 2, step 1).
  void settle_request(OrderTransaction& tx, Request& request, const Order& order) {
    const PlaceOrder& command = request.command;
    Placement placement = placement_of(order);
    placement.shortages = request.shortages;
    if (replayable(placement.result)) {
      StoredAnswer answer = command.answer(placement);
      tx.save(IdempotencyRecord{command.customer_id, command.idempotency_key, command.body_digest,
                                true, answer.status, std::move(answer.body), request.claimed_at,
                                order.id()});
    } else {
      tx.forget(command.customer_id, command.idempotency_key);
    }
    request.settled = true;
  }

  static bool replayable(PlacementResult result) {
    return result == PlacementResult::paid || result == PlacementResult::payment_pending ||
           result == PlacementResult::payment_declined;
  }

  // A request whose response was never stored: still running, cut off
  // before its order was written (start over), or cut off after (answer
  // from the order once the saga has an answer).
  IdempotencyBegin::State unfinished_request(OrderTransaction& tx, IdempotencyRecord& record,
                                             Timestamp now, Placement& placement) {
    if (record.order_id.empty()) {
      if (now - record.created_at < millis(deps_.settings.abandoned_request_after)) {
        return IdempotencyBegin::State::in_progress;
      }
      tx.forget(record.customer_id, record.key);
      return IdempotencyBegin::State::fresh;
    }
    auto order = tx.find(record.order_id);
    bool answered = order && (order->step() == Step::finished || order->step() == Step::awaiting_retry);
    if (!answered || now - record.created_at < millis(deps_.settings.abandoned_request_after)) {
      return IdempotencyBegin::State::in_progress;
    }
    placement = placement_of(*order);
    // Cancelled after it was placed (by its customer, or its payment expired):
    // the first request succeeded, so its answer is the order, not a 503.
    if (order->status() == Status::cancelled && order->data().cancel_reason != "payment_unavailable") {
      placement.result = order->data().payment_attempts > 0 && order->data().payment_deadline
                             ? PlacementResult::payment_pending
                             : PlacementResult::paid;
    }
    return IdempotencyBegin::State::settled;
  }

  Placement placement_of(const Order& order) const {
    Placement placement;
    placement.result = result_of(order);
    if (order.visible()) placement.order = view_of(order);
    if (placement.result == PlacementResult::unavailable) {
      placement.retry_after_seconds = deps_.settings.retry_after_seconds;
    }
    return placement;
  }

  std::chrono::milliseconds ttl() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deps_.settings.idempotency_ttl);
  }

  // Snapshots name and price of every line; lines of one product are merged.
  std::vector<OrderLine> price(const std::vector<RequestedLine>& requested) {
    if (requested.size() > max_order_lines) {
      throw invalid_field("items", "must have at most " + std::to_string(max_order_lines) + " lines");
    }
    std::vector<OrderLine> lines;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < requested.size(); ++i) {
      const auto& line = requested[i];
      std::string field = "items[" + std::to_string(i) + "]";
      validate_text(line.product_id, field + ".product_id", 1, 100);
      if (line.quantity <= 0 || line.quantity > max_line_quantity) {
        throw invalid_field(field + ".quantity",
                            "must be between 1 and " + std::to_string(max_line_quantity));
      }
      auto known = index.find(line.product_id);
      if (known != index.end()) {
        lines[known->second].quantity += line.quantity;
        continue;
      }
      auto product = deps_.products.find_active(line.product_id);
      if (!product) throw invalid_field(field + ".product_id", "no such product for sale");
      index.emplace(line.product_id, lines.size());
      lines.push_back({product->id, product->sku, product->name, product->price, line.quantity});
    }
    return lines;
  }

  // Drives the saga until it waits (deferred payment) or is finished. Each
  // request to another module happens outside any transaction; its reply is
  // applied in a transaction of our own. A reply that no longer fits (another
  // thread moved the saga meanwhile) is dropped and the loop looks again:
  // every request is idempotent by order id, so asking twice is harmless.
  // Each step hands back the order as its reply left it, so that only a
  // dropped reply costs another read. `placing`: the request that placed the
  // order, settled with the last step.
  Order run_saga(const std::string& order_id, Request* placing) {
    std::optional<Order> order;
    for (int step = 0; step < max_saga_steps; ++step) {
      if (!order) order = deps_.store.find(order_id);
      if (!order) throw order_not_found(order_id);
      switch (order->next_action(deps_.clock.now())) {
        case Action::none: return *order;
        case Action::reserve_stock: order = reserve(*order, placing); break;
        case Action::authorize_payment: order = authorize(*order, placing); break;
        case Action::confirm_stock: order = confirm(*order, placing); break;
        case Action::refund_payment:
          deps_.payments.refund(order_id, order->data().cancel_reason);
          order = apply(order_id, placing, [&](Order& o, OrderTransaction&) {
            o.payment_refunded(deps_.clock.now());
          });
          break;
        case Action::release_stock:
          deps_.reservations.release(order_id, release_reason(*order));
          order = apply(order_id, placing, [&](Order& o, OrderTransaction&) {
            o.stock_released(deps_.clock.now());
          });
          break;
      }
    }
    deps_.log.write(LogLevel::error, "saga did not settle", {{"order_id", order_id}});
    return *deps_.store.find(order_id);
  }

  std::optional<Order> reserve(const Order& order, Request* placing) {
    std::vector<stock::ReservationLine> lines;
    for (const auto& line : order.lines()) lines.push_back({line.product_id, line.quantity});
    auto outcome = deps_.reservations.reserve(order.id(), lines);
    if (placing) placing->shortages = outcome.shortages;
    return apply(order.id(), placing, [&](Order& o, OrderTransaction& tx) {
      if (!outcome.reserved) {
        o.stock_short(deps_.clock.now());
        return;
      }
      o.stock_reserved(deps_.clock.now());
      auto placed = event_of<OrderPlaced>(o);
      placed.lines = lines_data(o);
      placed.total = o.data().total;
      placed.delivery_address = address_data(o.data().address);
      publish(tx, placed);
    });
  }

  std::optional<Order> authorize(const Order& order, Request* placing) {
    const auto& d = order.data();
    // Past its deadline a deferred payment is not tried again: it expires.
    bool expired = d.payment_deadline && deps_.clock.now() >= *d.payment_deadline;
    payment::Authorization answer{payment::AuthorizationResult::unavailable, "", "expired"};
    if (!expired) {
      answer = deps_.payments.authorize(
          {d.id, d.customer_id, d.total, d.payment_method, d.payment_token});
    }
    // An approval confirms the reservation before the order is saved, so
    // that both replies share one commit. After a crash in between, asking
    // both again is harmless: each is idempotent by order id.
    std::optional<bool> confirmed;
    if (answer.result == payment::AuthorizationResult::approved && order.status() != Status::cancelled) {
      confirmed = confirm_reservation(order.id());
    }
    auto after = apply(order.id(), placing, [&](Order& o, OrderTransaction& tx) {
      Timestamp now = deps_.clock.now();
      Status before = o.status();
      switch (answer.result) {
        case payment::AuthorizationResult::approved:
          o.payment_approved(now);
          if (confirmed && o.step() == Step::confirming) apply_confirmation(o, tx, *confirmed);
          break;
        case payment::AuthorizationResult::declined:
          o.payment_declined(answer.reason.empty() ? "declined" : answer.reason, now);
          if (o.status() == Status::payment_declined) {
            auto declined = event_of<OrderPaymentDeclined>(o);
            declined.reason = o.data().cancel_reason;
            publish(tx, declined);
          }
          break;
        case payment::AuthorizationResult::unavailable: {
          bool defer = deps_.settings.when_payment_unavailable == PaymentUnavailablePolicy::defer;
          o.payment_unavailable(defer, now + backoff(o.data().payment_attempts),
                                now + millis(deps_.settings.payment_pending_ttl), now);
          if (o.step() == Step::awaiting_retry && o.data().payment_attempts == 1) {
            publish(tx, event_of<OrderPaymentPending>(o));
          }
          if (o.status() == Status::cancelled && before != Status::cancelled) {
            auto cancelled = event_of<OrderCancelled>(o);
            cancelled.reason = o.data().cancel_reason;
            cancelled.total = o.data().total;
            publish(tx, cancelled);
          }
          break;
        }
      }
    });
    if (answer.result == payment::AuthorizationResult::approved && !after) {
      refund_if_abandoned(order.id());
    }
    return after;
  }

  // An approval that came back after its deferred order was cancelled and
  // the saga finished releasing (the reply was dropped as out of step): the
  // charge must not stand, whatever happens to the order.cancelled event.
  void refund_if_abandoned(const std::string& order_id) {
    auto now = deps_.store.find(order_id);
    if (now && now->status() == Status::cancelled && now->step() == Step::finished &&
        now->data().payment_deadline) {
      deps_.payments.refund(order_id, now->data().cancel_reason);
    }
  }

  std::optional<Order> confirm(const Order& order, Request* placing) {
    bool confirmed = confirm_reservation(order.id());
    return apply(order.id(), placing, [&](Order& o, OrderTransaction& tx) {
      apply_confirmation(o, tx, confirmed);
    });
  }

  // False when the reservation expired before the payment came.
  bool confirm_reservation(const std::string& order_id) {
    try {
      deps_.reservations.confirm(order_id);
      return true;
    } catch (const Failure& failure) {
      if (failure.code() != "reservation_expired") throw;
      return false;
    }
  }

  void apply_confirmation(Order& o, OrderTransaction& tx, bool confirmed) {
    if (!confirmed) {
      // Paid too late: SPEC allows reserving again or refunding; refunding
      // never oversells and tells the customer the truth at once.
      o.stock_expired(deps_.clock.now());
      auto cancelled = event_of<OrderCancelled>(o);
      cancelled.reason = o.data().cancel_reason;
      cancelled.total = o.data().total;
      publish(tx, cancelled);
      return;
    }
    o.stock_confirmed(deps_.clock.now());
    auto paid = event_of<OrderPaid>(o);
    paid.total = o.data().total;
    paid.delivery_address = address_data(o.data().address);
    publish(tx, paid);
  }

  // Applies a reply in one transaction and returns the order it saved, or
  // nothing when the saga moved meanwhile and the reply was dropped. The
  // reply that settles the saga settles its placing request too.
  template <class Reply>
  std::optional<Order> apply(const std::string& order_id, Request* placing, Reply&& reply) {
    std::optional<Order> saved;
    try {
      deps_.store.write([&](OrderTransaction& tx) {
        // A store may run the work again: nothing of a rolled-back attempt stays.
        saved.reset();
        if (placing) placing->settled = false;
        auto order = tx.find(order_id);
        if (!order) throw order_not_found(order_id);
        reply(*order, tx);
        tx.save(*order);
        if (placing && placing->command.answer && !placing->command.idempotency_key.empty() &&
            order->next_action(deps_.clock.now()) == Action::none) {
          settle_request(tx, *placing, *order);
        }
        saved = std::move(order);
      });
    } catch (const Failure& failure) {
      if (failure.code() != "saga_state") throw;
      return std::nullopt;
    }
    return saved;
  }

  static std::string release_reason(const Order& order) {
    if (order.status() == Status::payment_declined) return "payment_declined";
    return order.data().cancel_reason.empty() ? "cancelled" : order.data().cancel_reason;
  }

  std::chrono::milliseconds backoff(int attempts) const {
    auto base = millis(deps_.settings.payment_retry_backoff);
    return base * (1 << std::min(attempts, 6));
  }

  static std::chrono::milliseconds millis(std::chrono::seconds seconds) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(seconds);
  }

  static PlacementResult result_of(const Order& order) {
    switch (order.status()) {
      case Status::rejected: return PlacementResult::out_of_stock;
      case Status::paid:
      case Status::in_delivery:
      case Status::delivered: return PlacementResult::paid;
      case Status::payment_pending: return PlacementResult::payment_pending;
      case Status::payment_declined: return PlacementResult::payment_declined;
      case Status::placing:
      case Status::cancelled: return PlacementResult::unavailable;
    }
    return PlacementResult::unavailable;
  }

  template <class Event>
  void publish(OrderTransaction& tx, const Event& event) {
    tx.publish(make_envelope(event, deps_.ids.next(), deps_.clock.now()));
  }

  OrderDependencies deps_;
};

}  // namespace

Failure request_in_progress() {
  return Failure(FailureKind::conflict, "request_in_progress",
                 "a request with this Idempotency-Key is still being processed");
}

std::unique_ptr<OrderApi> make_order_service(OrderDependencies dependencies) {
  return std::make_unique<OrderService>(std::move(dependencies));
}

}  // namespace shop::order
