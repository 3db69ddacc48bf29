#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/http/client/module_client.hpp"
#include "application/catalog/api.hpp"
#include "application/identity/api.hpp"
#include "application/order/api.hpp"
#include "application/payment/api.hpp"
#include "application/stock/api.hpp"

// The synchronous ports of modules that run in another process, called
// over that process's internal routes. Each refusal is the owner's own
// Failure; an owner out of reach is Failure(unavailable), except where the
// port has an answer for it (Payments: unavailable).
namespace shop::http {

// Sessions looked up remotely are kept for `ttl`, so that a request does
// not cost a call to identity: a session ended there may be honoured here
// that much longer. Unknown tokens are kept as unknown as long (a token
// never becomes valid later), so that made-up ones cost one call each.
class RemoteTokenLookup final : public identity::TokenLookup {
 public:
  RemoteTokenLookup(ModuleClient& identity, MonotonicClock& time,
                    std::chrono::milliseconds ttl = std::chrono::seconds(10),
                    std::size_t capacity = 100'000);
  std::optional<identity::Principal> principal(const std::string& token) override;

 private:
  struct Kept {
    std::optional<identity::Principal> principal;
    std::chrono::nanoseconds until;
  };
  ModuleClient& identity_;
  MonotonicClock& time_;
  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, Kept> kept_;
};

class RemoteProductLookup final : public catalog::ProductLookup {
 public:
  explicit RemoteProductLookup(ModuleClient& catalog) : catalog_(catalog) {}
  std::optional<catalog::ProductView> find_active(const std::string& product_id) override;

 private:
  ModuleClient& catalog_;
};

class RemoteReservations final : public stock::Reservations {
 public:
  explicit RemoteReservations(ModuleClient& stock) : stock_(stock) {}
  stock::ReserveOutcome reserve(const std::string& order_id,
                                const std::vector<stock::ReservationLine>& lines) override;
  void confirm(const std::string& order_id) override;
  void release(const std::string& order_id, const std::string& reason) override;
  void return_units(const std::string& order_id) override;

 private:
  ModuleClient& stock_;
};

class RemotePayments final : public payment::Payments {
 public:
  explicit RemotePayments(ModuleClient& payment) : payment_(payment) {}
  // Unavailable when the payment process cannot be reached: the saga's
  // policy (reject or defer) applies, as for a provider outage.
  payment::Authorization authorize(const payment::ChargeRequest& request) override;
  void refund(const std::string& order_id, const std::string& reason) override;

 private:
  ModuleClient& payment_;
};

class RemoteDispatch final : public order::Dispatch {
 public:
  explicit RemoteDispatch(ModuleClient& order) : order_(order) {}
  void begin_dispatch(const std::string& order_id) override;

 private:
  ModuleClient& order_;
};

}  // namespace shop::http
