#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The HTTP adapter's own request and response: what the router sees. The
// Beast server converts to and from them, so routing and handlers can be
// tested without sockets.
namespace shop::http {

struct Request {
  std::string method;
  std::string path;                            // decoded path, no query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string client_address;
  std::string request_id;

  std::optional<std::string_view> header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_case_name) return value;
    }
    return std::nullopt;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Splits a request target into decoded path and query parameters; false
// when its percent-encoding is broken.
bool parse_target(std::string_view target, std::string& path,
                  std::map<std::string, std::string>& query);

}  // namespace shop::http
