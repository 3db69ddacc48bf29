#include "adapters/http/client/remote_ports.hpp"

#include <boost/json/object.hpp>
#include <cctype>

#include "adapters/http/internal/internal_json.hpp"

namespace shop::http {

namespace json = boost::json;
using namespace internal;

namespace {

// Ids go into a path: anything but what ids are made of is escaped.
std::string segment(const std::string& id) {
  static const char* const hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// An answer that does not read as the contract says is the owner's fault.
template <class Read>
auto read_answer(ModuleClient& client, const json::value& answer, Read&& read) {
  try {
    return read(answer);
  } catch (const Failure& failure) {
    throw Failure::retry_later(FailureKind::unavailable, client.module() + "_unavailable",
                               "the " + client.module() + " module answered out of contract: " +
                                   failure.what(),
                               2);
  }
}

}  // namespace

RemoteTokenLookup::RemoteTokenLookup(ModuleClient& identity, MonotonicClock& time,
                                     std::chrono::milliseconds ttl, std::size_t capacity)
    : identity_(identity), time_(time), ttl_(ttl), capacity_(capacity) {}

std::optional<identity::Principal> RemoteTokenLookup::principal(const std::string& token) {
  auto now = time_.now();
  {
    std::lock_guard lock(mutex_);
    auto it = kept_.find(token);
    if (it != kept_.end() && it->second.until > now) return it->second.principal;
  }
  std::optional<identity::Principal> principal;
  try {
    auto answer =
        identity_.call("POST", "/internal/v1/identity/principal", json::object{{"token", token}});
    principal = read_answer(identity_, answer, principal_of);
  } catch (const Failure& failure) {
    if (failure.kind() != FailureKind::not_found) throw;
  }
  std::lock_guard lock(mutex_);
  // Bounded: when full, the kept sessions start over rather than grow.
  if (kept_.size() >= capacity_) kept_.clear();
  kept_[token] = {principal, now + ttl_};
  return principal;
}

std::optional<catalog::ProductView> RemoteProductLookup::find_active(const std::string& product_id) {
  // No product has such an id, and the owner's router would not route it
  // (it decodes the path before matching): a customer's typo, not an outage.
  if (product_id.empty() || product_id.find('/') != std::string::npos) return std::nullopt;
  try {
    auto answer = catalog_.call("GET", "/internal/v1/catalog/products/" + segment(product_id));
    return read_answer(catalog_, answer, product_of);
  } catch (const Failure& failure) {
    if (failure.kind() == FailureKind::not_found) return std::nullopt;
    throw;
  }
}

stock::ReserveOutcome RemoteReservations::reserve(const std::string& order_id,
                                                  const std::vector<stock::ReservationLine>& lines) {
  auto answer = stock_.call("POST", "/internal/v1/stock/reservations/" + segment(order_id),
                            lines_json(lines));
  return read_answer(stock_, answer, outcome_of);
}

void RemoteReservations::confirm(const std::string& order_id) {
  stock_.call("POST", "/internal/v1/stock/reservations/" + segment(order_id) + "/confirm");
}

void RemoteReservations::release(const std::string& order_id, const std::string& reason) {
  stock_.call("POST", "/internal/v1/stock/reservations/" + segment(order_id) + "/release",
              reason_json(reason));
}

void RemoteReservations::return_units(const std::string& order_id) {
  stock_.call("POST", "/internal/v1/stock/reservations/" + segment(order_id) + "/return");
}

payment::Authorization RemotePayments::authorize(const payment::ChargeRequest& request) {
  json::value answer;
  try {
    answer = payment_.call("POST", "/internal/v1/payment/authorizations", charge_json(request));
  } catch (const Failure& failure) {
    if (failure.kind() != FailureKind::unavailable) throw;
    return {payment::AuthorizationResult::unavailable, "", failure.what()};
  }
  return read_answer(payment_, answer, authorization_of);
}

void RemotePayments::refund(const std::string& order_id, const std::string& reason) {
  payment_.call("POST", "/internal/v1/payment/refunds/" + segment(order_id), reason_json(reason));
}

void RemoteDispatch::begin_dispatch(const std::string& order_id) {
  order_.call("POST", "/internal/v1/order/orders/" + segment(order_id) + "/dispatch");
}

}  // namespace shop::http
