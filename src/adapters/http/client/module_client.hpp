#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <string>

#include "adapters/http/client/http_client.hpp"
#include "application/shared/circuit.hpp"
#include "application/shared/log.hpp"
#include "application/shared/monotonic_clock.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

struct ModuleClientSettings {
  std::string module;  // "stock": named in errors, logs and metrics
  std::string url;     // the owning process's base URL, e.g. http://10.0.0.5:8080
  std::string service_token;
  std::chrono::milliseconds timeout{2000};
  CircuitSettings circuit;
};

// Calls the internal routes of the process that owns a module, behind a
// deadline and a circuit breaker.
class ModuleClient {
 public:
  // std::invalid_argument for a bad URL or service token.
  ModuleClient(ModuleClientSettings settings, MonotonicClock& time, Log& log);

  // The answer's JSON body (null for 204). A refusal (400, 403, 404, 409,
  // 412, 415, 422, 428) is rethrown as the Failure the owner threw.
  // Unreachable, timed out, any other status, an unreadable answer or the
  // circuit open: Failure(unavailable, "<module>_unavailable"), the details
  // logged rather than shown.
  boost::json::value call(const std::string& method, const std::string& path,
                          const boost::json::value& body = nullptr);

  const std::string& module() const { return settings_.module; }
  const Circuit& circuit() const { return circuit_; }

 private:
  Failure unavailable(const std::string& path, const std::string& why) const;

  ModuleClientSettings settings_;
  HttpClient client_;
  MonotonicClock& time_;
  Log& log_;
  Circuit circuit_;
};

}  // namespace shop::http
