#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/http/message.hpp"
#include "adapters/http/router.hpp"
#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// Small helpers shared by the route files.
namespace shop::http {

Response json_response(int status, const boost::json::value& body);
Response no_content();

boost::json::value money_json(const Money& money);
std::string time_json(Timestamp time);

// `?limit=` with the API's default and maximum; Failure(invalid) otherwise.
std::size_t page_limit(const Request& request);
std::string query_or(const Request& request, const std::string& name, std::string fallback = "");

// The caller may act on the user `user_id`: it is the caller, or staff.
// Anyone else gets 404, so that other users' ids do not leak.
void require_self_or_staff(const RouteContext& context, const std::string& user_id);

}  // namespace shop::http
