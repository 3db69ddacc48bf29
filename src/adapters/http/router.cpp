#include "adapters/http/router.hpp"

#include <exception>

#include "adapters/http/problem.hpp"

namespace shop::http {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// Matches "/a/{id}/b" against a path, filling `params`; a parameter never
// matches an empty segment.
bool match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string>& params) {
  auto want = segments(pattern);
  auto have = segments(path);
  if (want.size() != have.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{')) {
      if (have[i].empty()) return false;
      found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

std::optional<std::string> bearer_token(const Request& request) {
  auto header = request.header("authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view scheme = "Bearer ";
  if (header->size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>((*header)[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i]))) {
      return std::nullopt;
    }
  }
  return std::string(header->substr(scheme.size()));
}

// A query string or a bearer token could change the answer; such requests
// are never answered from, or kept in, the cache.
bool is_anonymous_get(const Request& request) {
  return request.method == "GET" && request.query.empty() && !request.header("authorization");
}

bool is_write(const Request& request) { return request.method != "GET" && request.method != "HEAD"; }

}  // namespace

void Router::add(Route route) { routes_.push_back(std::move(route)); }

std::optional<Response> Router::cached(const Request& request) const {
  if (!is_anonymous_get(request)) return std::nullopt;
  return cache_.find(request.path);
}

Response Router::handle(const Request& request) const {
  // Only an anonymous GET's answer may be kept; other requests skip the cache's lock.
  auto generation = is_anonymous_get(request) ? cache_.generation() : 0;
  const Route* matched = nullptr;
  Response response = answer(request, matched);
  if (matched) response.route = {matched->method, matched->pattern};
  keep_or_forget(request, matched, response, generation);
  return response;
}

// A write to a path whose GET is cached forgets it (whether or not the write
// succeeded: forgetting too much costs one more read).
void Router::keep_or_forget(const Request& request, const Route* matched, const Response& response,
                            std::uint64_t generation) const {
  if (!matched) return;
  if (is_anonymous_get(request) && matched->caching == Caching::until_changed &&
      response.status == 200) {
    cache_.offer(request.path, response, generation);
    return;
  }
  if (!is_write(request)) return;
  for (const auto& route : routes_) {
    if (route.caching == Caching::until_changed && route.pattern == matched->pattern) {
      cache_.forget(request.path);
      return;
    }
  }
}

Response Router::answer(const Request& request, const Route*& matched) const {
  try {
    return dispatch(request, matched);
  } catch (const Failure& failure) {
    return problem(failure);
  } catch (const std::exception& error) {
    log_.write(LogLevel::error, "request failed",
               {{"request_id", request.request_id}, {"error", error.what()}});
    return problem(500, "internal_error",
                   "something went wrong on our side; quote request id " + request.request_id);
  }
}

Response Router::dispatch(const Request& request, const Route*& matched) const {
  std::string allowed;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route.pattern, request.path, params)) continue;
    if (route.method != request.method) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    matched = &route;
    RouteContext context{request, std::move(params), std::nullopt};
    if (auto token = bearer_token(request)) {
      try {
        context.principal = tokens_.principal(*token);
      } catch (const Failure& failure) {
        // Sessions checked in another process, out of reach: a public
        // route still answers, as to anyone.
        if (route.access != Access::anyone || failure.kind() != FailureKind::unavailable) throw;
      }
    }
    if (route.access != Access::anyone && !context.principal) {
      throw Failure(FailureKind::unauthenticated, "unauthenticated",
                    "this needs a valid bearer token (POST /api/v1/sessions)");
    }
    if (route.access == Access::staff && !context.principal->is_staff()) {
      throw Failure(FailureKind::forbidden, "forbidden", "this is for staff only");
    }
    return route.handler(context);
  }
  if (!allowed.empty()) {
    Response response = problem(405, "method_not_allowed",
                                request.method + " is not allowed here; use " + allowed);
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  return problem(404, "not_found", "no such resource: " + request.path);
}

}  // namespace shop::http
