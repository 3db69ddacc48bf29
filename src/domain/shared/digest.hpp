#pragma once

#include <string>
#include <string_view>

namespace shop {

// A stable 64-bit FNV-1a digest as 16 hex digits: the same bytes give the
// same digest in every build and on every machine. Not a cryptographic hash;
// it tells whether a client resent the same request body.
std::string fnv1a_hex(std::string_view bytes);

}  // namespace shop
