#pragma once

#include <string>
#include <string_view>

// Identity's integration events.
namespace shop::identity {

struct UserRegistered {
  static constexpr const char* type = "shop.identity.user_registered.v1";
  static constexpr const char* source = "/shopbox/identity";
  std::string user_id;
  std::string email;
  std::string name;
  std::string role;
  std::string subject() const { return user_id; }

  friend bool operator==(const UserRegistered&, const UserRegistered&) = default;
};

std::string encode(const UserRegistered& event);
// Throws std::runtime_error when `data` does not match the schema.
UserRegistered decode_user_registered(std::string_view data);

}  // namespace shop::identity
