#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "application/payment/ports.hpp"

namespace shop::gateway {

struct SandboxSettings {
  // How long `tok_slow` takes to approve: long enough to trip a breaker's
  // slow-call threshold in a demo.
  std::chrono::milliseconds slow_delay{3'000};
};

// The built-in provider (SPEC 2, Payment) with deterministic test tokens:
// tok_ok approves, tok_decline declines, tok_slow approves after
// `slow_delay`, tok_error fails; any other token is declined. Like a real
// provider it is idempotent: a key answers the same every time it is used.
class SandboxGateway final : public payment::PaymentGateway {
 public:
  explicit SandboxGateway(SandboxSettings settings = {}) : settings_(settings) {}

  payment::GatewayReply charge(const std::string& idempotency_key, const Money& amount,
                               const std::string& token) override;
  // Approves a refund of a charge it approved, for the amount charged.
  payment::GatewayReply refund(const std::string& idempotency_key, const Money& amount,
                               const std::string& charge_reference) override;

 private:
  payment::GatewayReply decide_charge(const Money& amount, const std::string& token);
  payment::GatewayReply decide_refund(const Money& amount, const std::string& charge_reference);
  std::string next_reference(const char* prefix);

  SandboxSettings settings_;
  std::mutex mutex_;
  std::map<std::string, payment::GatewayReply> answers_;  // by idempotency key
  std::map<std::string, Money> charges_;                  // approved charges, by reference
  std::uint64_t counter_ = 0;
};

}  // namespace shop::gateway
