#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/message.hpp"
#include "adapters/http/response_cache.hpp"
#include "application/identity/api.hpp"
#include "application/shared/log.hpp"

namespace shop::http {

enum class Access { anyone, signed_in, staff };
// until_changed: the same for everyone, and changed only by writes to the
// same path or by events that name it (see ResponseCache).
enum class Caching { none, until_changed };

struct RouteContext {
  const Request& request;
  std::map<std::string, std::string> params;
  std::optional<identity::Principal> principal;

  const std::string& param(const std::string& name) const { return params.at(name); }
};

using Handler = std::function<Response(RouteContext&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/products/{id}"
  Access access;
  Handler handler;
  Caching caching = Caching::none;
};

// The transport meets the application here: handle(request) -> response,
// a pure function of the request and the facades, testable without sockets.
class Router {
 public:
  Router(identity::TokenLookup& tokens, Log& log) : tokens_(tokens), log_(log) {}

  void add(Route route);
  // Never throws: every failure becomes a problem document, and anything
  // unexpected a logged 500 that names the request id.
  Response handle(const Request& request) const;
  // The kept answer to `request`, if it is an anonymous GET that has one.
  std::optional<Response> cached(const Request& request) const;
  ResponseCache& cache() { return cache_; }
  const std::vector<Route>& routes() const { return routes_; }

 private:
  Response answer(const Request& request, const Route*& matched) const;
  Response dispatch(const Request& request, const Route*& matched) const;
  void keep_or_forget(const Request& request, const Route* matched, const Response& response,
                      std::uint64_t generation) const;

  identity::TokenLookup& tokens_;
  Log& log_;
  std::vector<Route> routes_;
  mutable ResponseCache cache_;
};

}  // namespace shop::http
