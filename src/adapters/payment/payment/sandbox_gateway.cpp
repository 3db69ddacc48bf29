#include "adapters/payment/payment/sandbox_gateway.hpp"

#include <thread>

namespace shop::gateway {

using payment::GatewayOutcome;
using payment::GatewayReply;

GatewayReply SandboxGateway::charge(const std::string& idempotency_key, const Money& amount,
                                    const std::string& token) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = answers_.find(idempotency_key); it != answers_.end()) return it->second;
  }
  // Sleeps outside the lock so that one slow charge does not hold up others.
  if (token == "tok_slow") std::this_thread::sleep_for(settings_.slow_delay);
  std::lock_guard lock(mutex_);
  // Two calls with one key raced through the first look: the first to
  // decide is the answer for both.
  if (auto it = answers_.find(idempotency_key); it != answers_.end()) return it->second;
  return answers_[idempotency_key] = decide_charge(amount, token);
}

GatewayReply SandboxGateway::refund(const std::string& idempotency_key, const Money& amount,
                                    const std::string& charge_reference) {
  std::lock_guard lock(mutex_);
  if (auto it = answers_.find(idempotency_key); it != answers_.end()) return it->second;
  return answers_[idempotency_key] = decide_refund(amount, charge_reference);
}

GatewayReply SandboxGateway::decide_charge(const Money& amount, const std::string& token) {
  if (token == "tok_ok" || token == "tok_slow") {
    std::string reference = next_reference("sbx_ch_");
    charges_[reference] = amount;
    return {GatewayOutcome::approved, reference, ""};
  }
  if (token == "tok_decline") return {GatewayOutcome::declined, "", "card declined"};
  if (token == "tok_error") return {GatewayOutcome::failed, "", "sandbox provider error"};
  return {GatewayOutcome::declined, "", "unknown token"};
}

GatewayReply SandboxGateway::decide_refund(const Money& amount,
                                           const std::string& charge_reference) {
  auto charged = charges_.find(charge_reference);
  if (charged == charges_.end()) return {GatewayOutcome::declined, "", "unknown charge"};
  if (charged->second != amount) {
    return {GatewayOutcome::declined, "", "refund amount differs from the charge"};
  }
  return {GatewayOutcome::approved, next_reference("sbx_re_"), ""};
}

std::string SandboxGateway::next_reference(const char* prefix) {
  return prefix + std::to_string(++counter_);
}

}  // namespace shop::gateway
