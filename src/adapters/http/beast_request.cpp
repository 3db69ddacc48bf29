#include "adapters/http/beast_request.hpp"

#include <cctype>

#include "domain/shared/failure.hpp"

namespace shop::http {

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Request to_request(const BeastRequest& message, const std::string& client,
                   const std::string& request_id) {
  Request request;
  request.method = std::string(message.method_string());
  request.client_address = client;
  request.request_id = request_id;
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = message.body();
  if (!parse_target(message.target(), request.path, request.query)) {
    throw Failure(FailureKind::malformed, "malformed_target", "the request target is malformed");
  }
  return request;
}

}  // namespace shop::http
