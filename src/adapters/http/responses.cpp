#include "adapters/http/responses.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "application/shared/paging.hpp"
#include "application/shared/json_fields.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

Response json_response(int status, const boost::json::value& body) {
  return Response{status, "application/json", {}, boost::json::serialize(body), nullptr};
}

Response no_content() { return Response{204, "", {}, "", nullptr}; }

boost::json::value money_json(const Money& money) { return json::money_to_json(money); }

std::string time_json(Timestamp time) { return json::format_time(time); }

std::size_t page_limit(const Request& request) {
  auto it = request.query.find("limit");
  if (it == request.query.end()) return default_page_size;
  std::size_t limit = 0;
  const auto& text = it->second;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size() || limit < 1 ||
      limit > max_page_size) {
    throw invalid_field("limit", "must be an integer between 1 and " +
                                     std::to_string(max_page_size));
  }
  return limit;
}

std::string query_or(const Request& request, const std::string& name, std::string fallback) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::move(fallback) : it->second;
}

void require_self_or_staff(const RouteContext& context, const std::string& user_id) {
  if (context.principal && (context.principal->is_staff() || context.principal->user_id == user_id)) {
    return;
  }
  throw Failure(FailureKind::not_found, "user_not_found", "no user with id " + user_id);
}

}  // namespace shop::http
