#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shop::http {

// The value of the Shopbox-Signature header:
// "t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, "<t>.<body>")>".
// Signing the time with the body lets a receiver refuse a replayed request
// whose time is too old, which a signature over the body alone could not.
std::string webhook_signature(std::string_view secret, std::int64_t unix_seconds,
                              std::string_view body);

}  // namespace shop::http
