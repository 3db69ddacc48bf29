#pragma once

#include <string>
#include <string_view>

#include "domain/shared/money.hpp"

// The payment module's integration events; the subject is the payment id.
namespace shop::payment {

struct PaymentEventBase {
  std::string payment_id;
  std::string order_id;
  Money amount;
  std::string subject() const { return payment_id; }
};

struct PaymentApproved : PaymentEventBase {
  static constexpr const char* type = "shop.payment.approved.v1";
  static constexpr const char* source = "/shopbox/payment";
};

struct PaymentDeclined : PaymentEventBase {
  static constexpr const char* type = "shop.payment.declined.v1";
  static constexpr const char* source = "/shopbox/payment";
  std::string reason;
};

// The payment was refunded (status CANCELLED).
struct PaymentCancelled : PaymentEventBase {
  static constexpr const char* type = "shop.payment.cancelled.v1";
  static constexpr const char* source = "/shopbox/payment";
};

std::string encode(const PaymentApproved& event);
std::string encode(const PaymentDeclined& event);
std::string encode(const PaymentCancelled& event);
// Throw std::runtime_error when `data` does not match the schema.
PaymentApproved decode_payment_approved(std::string_view data);
PaymentDeclined decode_payment_declined(std::string_view data);
PaymentCancelled decode_payment_cancelled(std::string_view data);

}  // namespace shop::payment
