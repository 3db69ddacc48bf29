#pragma once

#include <string>
#include <vector>

#include "adapters/http/message.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

// The single place where a refusal becomes a status code.
int status_of(FailureKind kind);

// An RFC 9457 problem document (application/problem+json).
Response problem(int status, const std::string& code, const std::string& detail,
                 const std::vector<FieldError>& errors = {});
Response problem(const Failure& failure);

}  // namespace shop::http
