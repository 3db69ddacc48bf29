#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

#include "adapters/http/message.hpp"

// Beast's parsed request becomes the router's Request here, in one place
// shared by the server and by the fuzzer that feeds it raw bytes.
namespace shop::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A client's X-Request-Id is echoed in logs and responses only when it is
// short and plain, so that it cannot forge log lines or headers.
bool is_safe_request_id(std::string_view id);

// Throws Failure(malformed) when the target's percent-encoding is broken.
Request to_request(const BeastRequest& message, const std::string& client,
                   const std::string& request_id);

}  // namespace shop::http
