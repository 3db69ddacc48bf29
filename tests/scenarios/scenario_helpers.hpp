#pragma once

#include <string>

#include "scenarios/app_fixture.hpp"

namespace shop::testing {

inline HttpReply place(HttpClient& client, const std::string& token, const std::string& body,
                       const std::string& key) {
  auto headers = HttpClient::auth(token);
  headers.emplace_back("Idempotency-Key", key);
  return client.request("POST", "/api/v1/orders", body, headers);
}

inline HttpReply advance(HttpClient& client, const std::string& staff,
                         const std::string& delivery_id, const std::string& status) {
  return client.post("/api/v1/deliveries/" + delivery_id + "/status",
                     R"({"status":")" + status + R"("})", staff);
}

// The delivery of an order, as the board shows it to staff.
inline boost::json::value delivery_of(HttpClient& client, const std::string& staff,
                                      const std::string& order_id) {
  auto items = client.get("/api/v1/deliveries?order_id=" + order_id, staff).json().at("items");
  REQUIRE(items.as_array().size() == 1);
  return items.as_array()[0];
}

inline std::string text(const boost::json::value& value, const char* key) {
  return std::string(value.at(key).as_string());
}

}  // namespace shop::testing
