#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

#include "application/order/events.hpp"
#include "application/payment/api.hpp"
#include "application/payment/events.hpp"
#include "domain/shared/failure.hpp"

namespace shop::payment {

namespace {

constexpr const char* consumer_name = "payment";
// Payments one background pass looks at, per kind of work.
constexpr std::size_t batch_size = 100;

std::string charge_key(const Payment& payment) { return payment.order_id() + ":charge"; }
std::string refund_key(const Payment& payment) { return payment.order_id() + ":refund"; }

const char* outcome_name(GatewayOutcome outcome) {
  static const char* const names[] = {"approved", "declined", "failed", "unknown"};
  return names[static_cast<int>(outcome)];
}

// The provider's message, or the outcome itself when it gave none.
std::string reason_of(const GatewayReply& reply) {
  return reply.message.empty() ? outcome_name(reply.outcome) : reply.message;
}

PaymentView view_of(const Payment& payment) {
  const auto& d = payment.data();
  return PaymentView{d.id,     d.order_id,       d.customer_id, d.amount,    d.status,
                     d.method, d.failure_reason, d.created_at,  d.updated_at};
}

template <class Event>
Event event_of(const Payment& payment) {
  Event event;
  event.payment_id = payment.id();
  event.order_id = payment.order_id();
  event.amount = payment.data().amount;
  return event;
}

// The answer a payment already gives without asking the gateway, if any.
std::optional<Authorization> settled_answer(const Payment& payment) {
  const auto& d = payment.data();
  switch (d.status) {
    case PaymentStatus::pending:
      // The order was cancelled: charging now would only mean refunding.
      if (d.abandoned)
        return Authorization{AuthorizationResult::declined, d.id, "payment_cancelled"};
      return std::nullopt;
    case PaymentStatus::declined:
      return Authorization{AuthorizationResult::declined, d.id, d.failure_reason};
    // A refund follows an approval: the charge happened.
    case PaymentStatus::approved:
    case PaymentStatus::refund_pending:
    case PaymentStatus::cancelled:
    case PaymentStatus::refund_failed:
      return Authorization{AuthorizationResult::approved, d.id, ""};
  }
  return std::nullopt;
}

class PaymentService final : public PaymentApi {
 public:
  explicit PaymentService(PaymentDependencies deps)
      : deps_(std::move(deps)),
        policy_{
            deps_.settings.refund_max_attempts,
            std::chrono::duration_cast<std::chrono::milliseconds>(deps_.settings.refund_backoff)} {}

  // Two transactions around the gateway call, never one across it: PENDING
  // is on disk before the provider may charge, so a crash in between
  // leaves a payment that the next call (same key) settles.
  Authorization authorize(const ChargeRequest& request) override {
    std::optional<Payment> payment;
    std::optional<Authorization> settled;
    deps_.store.write([&](PaymentTransaction& tx) {
      if (auto existing = tx.by_order(request.order_id)) {
        if (existing->data().amount != request.amount) {
          throw Failure(FailureKind::conflict, "payment_mismatch",
                        "order " + request.order_id + " was charged for another amount");
        }
        settled = settled_answer(*existing);
        payment = std::move(existing);
        return;
      }
      payment = Payment::start(deps_.ids.next(), request.order_id, request.customer_id,
                               request.amount, request.method, request.token, deps_.clock.now());
      tx.save(*payment);
    });
    if (settled) return *settled;
    return record_charge(*payment, charge(*payment));
  }

  void refund(const std::string& order_id, const std::string& reason) override {
    std::optional<Payment> to_refund;
    deps_.store.write([&](PaymentTransaction& tx) {
      to_refund = begin_refund(tx, order_id, reason, deps_.clock.now() + policy_.backoff);
    });
    if (to_refund) attempt_refund(*to_refund);
  }

  std::vector<PaymentView> for_order(const std::string& order_id) override {
    std::vector<PaymentView> views;
    if (auto payment = deps_.store.by_order(order_id)) views.push_back(view_of(*payment));
    return views;
  }

  // Also reconciliation: a charge whose call went unanswered is asked about
  // again with the same idempotency key until the provider gives a final
  // answer. A charge found for an order that gave up on it meanwhile (a
  // rejected or cancelled order) is refunded at once.
  std::size_t retry_refunds() override {
    std::size_t settled = 0;
    for (const auto& payment : deps_.store.unknown_charges(batch_size)) {
      auto answer = record_charge(payment, charge(payment));
      if (answer.result != AuthorizationResult::unavailable) ++settled;
    }
    for (const auto& payment : deps_.store.refunds_due(deps_.clock.now(), batch_size)) {
      if (attempt_refund(payment)) ++settled;
    }
    return settled;
  }

  void on_order_event(const EventEnvelope& event) override {
    if (event.type != order::OrderCancelled::type) return;
    auto cancelled = order::decode_order_cancelled(event.data);
    std::string reason = cancelled.reason.empty() ? "order_cancelled" : cancelled.reason;
    bool queued = false;
    deps_.store.write([&](PaymentTransaction& tx) {
      queued = false;  // a store may run the work again: start afresh
      if (!tx.first_delivery(consumer_name, event.id)) return;
      queued = begin_refund(tx, cancelled.order_id, reason, deps_.clock.now()).has_value();
    });
    if (queued && deps_.refund_queued) deps_.refund_queued();
  }

 private:
  GatewayReply charge(const Payment& payment) {
    try {
      return deps_.gateway.charge(charge_key(payment), payment.data().amount, payment.data().token);
    } catch (const std::exception& error) {
      // Nothing tells whether the provider got the call: maybe charged.
      return {GatewayOutcome::unknown, "", error.what()};
    }
  }

  GatewayReply refund_call(const Payment& payment) {
    try {
      return deps_.gateway.refund(refund_key(payment), payment.data().amount,
                                  payment.data().charge_reference);
    } catch (const std::exception& error) {
      return {GatewayOutcome::unknown, "", error.what()};
    }
  }

  // Applies a charge reply in its own transaction. An approval of an
  // abandoned payment turns straight into a refund.
  Authorization record_charge(const Payment& asked, const GatewayReply& reply) {
    std::optional<Payment> recorded;
    bool refund_now = false;
    deps_.store.write([&](PaymentTransaction& tx) {
      auto payment = tx.by_order(asked.order_id());
      if (!payment) throw std::logic_error("payment of order " + asked.order_id() + " vanished");
      Timestamp now = deps_.clock.now();
      switch (reply.outcome) {
        case GatewayOutcome::approved:
          if (payment->approve(reply.reference, now)) {
            publish(tx, event_of<PaymentApproved>(*payment));
          }
          if (payment->abandoned()) {
            refund_now =
                payment->request_refund(payment->data().refund_reason, now + policy_.backoff, now);
          }
          break;
        case GatewayOutcome::declined:
          if (payment->decline(reason_of(reply), now)) {
            auto declined = event_of<PaymentDeclined>(*payment);
            declined.reason = payment->data().failure_reason;
            publish(tx, declined);
          }
          break;
        case GatewayOutcome::failed: payment->mark_pending(reason_of(reply), now); break;
        case GatewayOutcome::unknown: payment->mark_unknown(reason_of(reply), now); break;
      }
      tx.save(*payment);
      recorded = std::move(payment);
    });
    if (refund_now) attempt_refund(*recorded);
    if (auto answer = settled_answer(*recorded)) return *answer;
    deps_.log.write(LogLevel::warn, "payment gateway gave no final answer",
                    {{"order_id", asked.order_id()},
                     {"outcome", outcome_name(reply.outcome)},
                     {"reason", reply.message}});
    return Authorization{AuthorizationResult::unavailable, recorded->id(), reason_of(reply)};
  }

  // Inside the caller's transaction: an approved payment becomes
  // REFUND_PENDING, due at `first_try`, and is returned for the caller to
  // refund after commit or leave to `retry_refunds`; a pending one is marked
  // so that an approval still coming is refunded. Anything else has nothing
  // (more) to refund.
  std::optional<Payment> begin_refund(PaymentTransaction& tx, const std::string& order_id,
                                      const std::string& reason, Timestamp first_try) {
    auto payment = tx.by_order(order_id);
    if (!payment) return std::nullopt;
    Timestamp now = deps_.clock.now();
    if (payment->status() == PaymentStatus::pending) {
      if (payment->cancel_pending(reason, now)) tx.save(*payment);
      return std::nullopt;
    }
    if (payment->status() != PaymentStatus::approved) return std::nullopt;
    payment->request_refund(reason, first_try, now);
    tx.save(*payment);
    return payment;
  }

  // Calls the gateway, then records the reply. Returns true when the
  // payment reached CANCELLED or REFUND_FAILED.
  bool attempt_refund(const Payment& payment) {
    GatewayReply reply = refund_call(payment);
    std::optional<Payment> recorded;
    deps_.store.write([&](PaymentTransaction& tx) {
      auto current = tx.by_order(payment.order_id());
      // Another attempt (a retry pass racing the first call) settled it.
      if (!current || current->status() != PaymentStatus::refund_pending) return;
      Timestamp now = deps_.clock.now();
      if (reply.outcome == GatewayOutcome::approved) {
        current->refunded(reply.reference, now);
        publish(tx, event_of<PaymentCancelled>(*current));
      } else {
        current->refund_failed_attempt(reason_of(reply), policy_, now);
      }
      tx.save(*current);
      recorded = std::move(current);
    });
    if (!recorded) return false;
    const auto& d = recorded->data();
    if (d.status == PaymentStatus::refund_pending) {
      deps_.log.write(LogLevel::warn, "refund failed; will retry",
                      {{"order_id", d.order_id},
                       {"attempts", std::int64_t{d.refund_attempts}},
                       {"reason", d.failure_reason}});
      return false;
    }
    if (d.status == PaymentStatus::refund_failed) {
      deps_.log.write(LogLevel::error, "refund gave up; staff must resolve it",
                      {{"order_id", d.order_id},
                       {"attempts", std::int64_t{d.refund_attempts}},
                       {"reason", d.failure_reason}});
    }
    return true;
  }

  template <class Event>
  void publish(PaymentTransaction& tx, const Event& event) {
    tx.publish(make_envelope(event, deps_.ids.next(), deps_.clock.now()));
  }

  PaymentDependencies deps_;
  RefundPolicy policy_;
};

}  // namespace

std::unique_ptr<PaymentApi> make_payment_service(PaymentDependencies dependencies) {
  return std::make_unique<PaymentService>(std::move(dependencies));
}

}  // namespace shop::payment
