#include "application/identity/events.hpp"

#include <boost/json/object.hpp>

#include "application/shared/json_fields.hpp"

namespace shop::identity {

std::string encode(const UserRegistered& event) {
  return json::serialize(boost::json::object{{"user_id", event.user_id},
                                             {"email", event.email},
                                             {"name", event.name},
                                             {"role", event.role}});
}

UserRegistered decode_user_registered(std::string_view data) {
  auto value = json::parse_event_data(data);
  const auto& object = json::as_object(value, UserRegistered::type);
  return UserRegistered{json::string_at(object, "user_id"), json::string_at(object, "email"),
                        json::string_at(object, "name"), json::string_at(object, "role")};
}

}  // namespace shop::identity
