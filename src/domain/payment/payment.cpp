#include "domain/payment/payment.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::payment {

namespace {

constexpr const char* status_names[] = {"PENDING",        "APPROVED",  "DECLINED",
                                        "REFUND_PENDING", "CANCELLED", "REFUND_FAILED"};
constexpr int status_count = 6;
// 2^16 backoffs is already days; a larger shift could overflow.
constexpr int max_backoff_doublings = 16;

}  // namespace

const char* to_string(PaymentStatus status) { return status_names[static_cast<int>(status)]; }

std::optional<PaymentStatus> payment_status_from_string(const std::string& text) {
  for (int i = 0; i < status_count; ++i) {
    if (text == status_names[i]) return static_cast<PaymentStatus>(i);
  }
  return std::nullopt;
}

Payment Payment::start(std::string id, std::string order_id, std::string customer_id, Money amount,
                       std::string method, std::string token, Timestamp now) {
  validate_text(id, "payment_id", 1, 100);
  validate_text(order_id, "order_id", 1, 100);
  validate_text(customer_id, "customer_id", 1, 100);
  validate_money(amount, "amount");
  if (amount.amount == 0) throw invalid_field("amount.amount", "must be positive");
  validate_text(method, "payment.method", 1, 50);
  validate_text(token, "payment.token", 1, 200);
  PaymentData data;
  data.id = std::move(id);
  data.order_id = std::move(order_id);
  data.customer_id = std::move(customer_id);
  data.amount = std::move(amount);
  data.method = std::move(method);
  data.token = std::move(token);
  data.next_refund_at = now;
  data.created_at = now;
  data.updated_at = now;
  return Payment(std::move(data));
}

void Payment::refuse(const char* move) const {
  throw Failure(FailureKind::conflict, "payment_state",
                std::string("the payment of order ") + data_.order_id + " is " +
                    to_string(data_.status) + ", it cannot be " + move);
}

// Every status after APPROVED is reached only through it.
bool Payment::was_approved() const {
  return data_.status != PaymentStatus::pending && data_.status != PaymentStatus::declined;
}

bool Payment::approve(const std::string& charge_reference, Timestamp now) {
  if (was_approved()) return false;
  if (data_.status == PaymentStatus::declined) refuse("approved");
  data_.status = PaymentStatus::approved;
  data_.charge_reference = charge_reference;
  data_.charge_unknown = false;
  data_.failure_reason.clear();
  data_.updated_at = now;
  return true;
}

bool Payment::decline(const std::string& reason, Timestamp now) {
  if (data_.status == PaymentStatus::declined) return false;
  if (data_.status != PaymentStatus::pending) refuse("declined");
  data_.status = PaymentStatus::declined;
  data_.charge_unknown = false;
  data_.failure_reason = reason;
  data_.updated_at = now;
  return true;
}

bool Payment::mark_unknown(const std::string& reason, Timestamp now) {
  if (data_.status != PaymentStatus::pending) return false;
  data_.charge_unknown = true;
  data_.failure_reason = reason;
  data_.updated_at = now;
  return true;
}

bool Payment::mark_pending(const std::string& reason, Timestamp now) {
  if (data_.status != PaymentStatus::pending) return false;
  // `charge_unknown` stays: a refusal now (an open circuit, say) says
  // nothing about whether the earlier unanswered call went through.
  data_.failure_reason = reason;
  data_.updated_at = now;
  return true;
}

bool Payment::cancel_pending(const std::string& reason, Timestamp now) {
  if (data_.status != PaymentStatus::pending) refuse("cancelled before approval");
  if (data_.abandoned) return false;
  data_.abandoned = true;
  data_.refund_reason = reason;
  data_.updated_at = now;
  return true;
}

bool Payment::request_refund(const std::string& reason, Timestamp first_retry_at, Timestamp now) {
  if (data_.status == PaymentStatus::refund_pending || data_.status == PaymentStatus::cancelled ||
      data_.status == PaymentStatus::refund_failed) {
    return false;
  }
  if (data_.status != PaymentStatus::approved) refuse("refunded");
  data_.status = PaymentStatus::refund_pending;
  data_.refund_reason = reason;
  data_.refund_attempts = 0;
  data_.next_refund_at = first_retry_at;
  data_.updated_at = now;
  return true;
}

bool Payment::refunded(const std::string& refund_reference, Timestamp now) {
  if (data_.status == PaymentStatus::cancelled) return false;
  if (data_.status != PaymentStatus::refund_pending &&
      data_.status != PaymentStatus::refund_failed) {
    refuse("marked refunded");
  }
  data_.status = PaymentStatus::cancelled;
  data_.refund_reference = refund_reference;
  data_.failure_reason.clear();
  data_.updated_at = now;
  return true;
}

void Payment::refund_failed_attempt(const std::string& reason, const RefundPolicy& policy,
                                    Timestamp now) {
  if (data_.status != PaymentStatus::refund_pending) refuse("retried as a refund");
  ++data_.refund_attempts;
  data_.failure_reason = reason;
  data_.updated_at = now;
  if (data_.refund_attempts >= policy.max_attempts) {
    data_.status = PaymentStatus::refund_failed;
    return;
  }
  int doublings = std::min(data_.refund_attempts - 1, max_backoff_doublings);
  data_.next_refund_at = now + policy.backoff * (std::int64_t{1} << doublings);
}

}  // namespace shop::payment
