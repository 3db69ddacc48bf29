#pragma once

#include <optional>
#include <string>

#include "domain/shared/time.hpp"

namespace shop::identity {

enum class Role { customer, staff };

const char* to_string(Role role);
std::optional<Role> role_from_string(const std::string& text);

// Lower-cases and checks an address; Failure(invalid) on "email" otherwise.
// Deliberately simple (one '@', a dot in the domain, no spaces): delivery of
// a confirmation mail is the only real test of an address.
std::string normalize_email(const std::string& email);

// Throws Failure(invalid) on "password" when shorter than 8 characters or
// longer than 1024 bytes (hashing cost must stay bounded).
void validate_password(const std::string& password);

struct User {
  std::string id;
  std::string email;
  std::string name;
  Role role = Role::customer;
  std::string password_hash;
  Timestamp created_at;

  // Validates email, name and password; the password itself is not kept.
  static User create(std::string id, const std::string& email, std::string name, Role role,
                     std::string password_hash, Timestamp now);
};

}  // namespace shop::identity
