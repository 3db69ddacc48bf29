#pragma once

#include <cstdio>
#include <string>
#include <variant>

#include "application/identity/ports.hpp"
#include "application/payment/ports.hpp"
#include "application/shared/log.hpp"

// Doubles that keep the fuzzed HTTP surface fast and deterministic: the
// corpus can carry valid bearer tokens, and no input waits on argon2.
namespace shop::fuzz {

// Tokens "token-1", "token-2", ... in issue order; the digest is readable.
class FixedTokens final : public identity::TokenIssuer {
 public:
  std::string new_token() override { return "token-" + std::to_string(++issued_); }
  std::string digest(const std::string& token) override { return "digest:" + token; }

 private:
  unsigned long long issued_ = 0;
};

class PlainPasswords final : public identity::PasswordHasher {
 public:
  std::string hash(const std::string& password) override { return "plain:" + password; }
  bool verify(const std::string& hash, const std::string& password) override {
    return hash == "plain:" + password;
  }
};

// The sandbox's card tokens, answered at once: tok_ok approves,
// tok_decline declines, tok_error fails as an unreachable provider would.
class ScriptedGateway final : public payment::PaymentGateway {
 public:
  payment::GatewayReply charge(const std::string& key, const Money&,
                               const std::string& token) override {
    if (token == "tok_ok") return {payment::GatewayOutcome::approved, "ch_" + key, ""};
    if (token == "tok_error") return {payment::GatewayOutcome::failed, "", "provider error"};
    return {payment::GatewayOutcome::declined, "", "card declined"};
  }
  payment::GatewayReply refund(const std::string& key, const Money&,
                               const std::string&) override {
    return {payment::GatewayOutcome::approved, "re_" + key, ""};
  }
};

// Errors to stderr, so that a finding shows what the router caught.
class ErrorLog final : public Log {
 public:
  void write(LogLevel level, std::string_view message,
             std::initializer_list<LogField> fields) override {
    if (level != LogLevel::error) return;
    std::fprintf(stderr, "%.*s", int(message.size()), message.data());
    for (const auto& field : fields) {
      if (const auto* text = std::get_if<std::string_view>(&field.value)) {
        std::fprintf(stderr, " %.*s=%.*s", int(field.key.size()), field.key.data(),
                     int(text->size()), text->data());
      }
    }
    std::fprintf(stderr, "\n");
  }
};

}  // namespace shop::fuzz
