#include "domain/identity/user.hpp"

#include <algorithm>
#include <utility>

#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::identity {

const char* to_string(Role role) { return role == Role::staff ? "staff" : "customer"; }

std::optional<Role> role_from_string(const std::string& text) {
  if (text == "customer") return Role::customer;
  if (text == "staff") return Role::staff;
  return std::nullopt;
}

std::string normalize_email(const std::string& email) {
  if (email.size() > 254) throw invalid_field("email", "must be at most 254 characters");
  std::string lowered = email;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : char(c); });
  auto at = lowered.find('@');
  bool shaped = at != std::string::npos && at > 0 && lowered.find('@', at + 1) == std::string::npos;
  if (shaped) {
    auto dot = lowered.find('.', at + 2);
    shaped = dot != std::string::npos && dot + 1 < lowered.size();
  }
  bool clean = is_clean_text(lowered, false) &&
               std::none_of(lowered.begin(), lowered.end(), [](char c) { return c == ' '; });
  if (!shaped || !clean) throw invalid_field("email", "must be an e-mail address");
  return lowered;
}

void validate_password(const std::string& password) {
  if (password.size() > 1024) throw invalid_field("password", "must be at most 1024 bytes");
  std::size_t length = utf8_length(password);
  if (length == std::string::npos) throw invalid_field("password", "must be valid UTF-8");
  if (length < 8) throw invalid_field("password", "must be at least 8 characters");
}

User User::create(std::string id, const std::string& email, std::string name, Role role,
                  std::string password_hash, Timestamp now) {
  std::string normalized = normalize_email(email);
  validate_text(name, "name", 1, 100);
  return User{std::move(id), std::move(normalized), std::move(name), role,
              std::move(password_hash), now};
}

}  // namespace shop::identity
