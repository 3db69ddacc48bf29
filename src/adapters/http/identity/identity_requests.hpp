#pragma once

#include <string>

#include "adapters/http/message.hpp"
#include "application/identity/api.hpp"

// Identity's request bodies, readable on their own (the fuzzers use them).
namespace shop::http {

struct Credentials {
  std::string email;
  std::string password;
};

// POST /users. Throws Failure (415, 400 or 422) naming each bad field.
identity::Registration read_registration(const Request& request);
// POST /sessions, likewise.
Credentials read_credentials(const Request& request);

}  // namespace shop::http
