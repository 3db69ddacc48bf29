#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shop::testing {

// What the fake provider decided for one idempotency key.
struct ProviderRecord {
  std::string status;     // "approved" or "declined"
  std::string reference;  // empty when declined
  std::int64_t amount = 0;
  std::string currency;
  std::string source;   // the token of a charge, the charge reference of a refund
  std::string message;  // why, when declined
};

// What the last request carried, to check the wire format.
struct SeenRequest {
  std::string target;
  std::string idempotency_key;  // the header
  std::string authorization;
  std::string body;
};

// A payment provider on a real socket (127.0.0.1, a free port), served by
// Boost.Beast on its own thread, speaking the protocol HttpGateway expects:
// POST /v1/charges and /v1/refunds, answered with
// {"status","reference","message"}. Like a real provider it is idempotent:
// a repeated key gets the stored answer. The knobs make it misbehave the way
// providers do.
class FakeProvider {
 public:
  FakeProvider();
  ~FakeProvider();
  FakeProvider(const FakeProvider&) = delete;
  FakeProvider& operator=(const FakeProvider&) = delete;

  std::string url() const;  // http://127.0.0.1:<port>/v1
  unsigned short port() const;

  // Every answer waits this long (after the decision is recorded).
  void set_latency(std::chrono::milliseconds latency);
  // The next `requests` requests get `status` (500: the provider broke)
  // without anything being recorded.
  void fail_next(int requests, unsigned status = 500);
  // New charges are declined ("card declined").
  void decline_all(bool decline);
  // The next `charges` new charges are recorded as approved, then the
  // connection is closed without an answer.
  void drop_after_charging(int charges);
  // Closes the listening socket, so connections are refused...
  void go_down();
  // ...until it listens again, on the same port.
  void come_back();

  int requests() const;  // requests read in full, whatever their answer
  std::map<std::string, ProviderRecord> charges() const;  // by idempotency key
  std::optional<ProviderRecord> charge(const std::string& idempotency_key) const;
  // Approved refunds naming this charge reference.
  std::vector<ProviderRecord> refunds_of(const std::string& charge_reference) const;
  SeenRequest last_request() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace shop::testing
