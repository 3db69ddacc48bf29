#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
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

// A body produced over time (Server-Sent Events). The server calls `next`
// on a handler thread until it returns nullopt, the client goes away or the
// server drains; "" means nothing new yet, and the server asks again after
// `poll_interval`. Each chunk is written before the next is asked for, so a
// client that does not read is dropped at the write deadline instead of
// making the server buffer for it.
struct StreamingBody {
  std::function<std::optional<std::string>()> next;
  std::chrono::milliseconds poll_interval{200};
};

// The route that answered, for metrics: views of the router's own strings.
struct RouteName {
  std::string_view method = "any";
  std::string_view pattern = "unmatched";
};

struct Response {
  Response() = default;
  Response(int status, std::string content_type,
           std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "",
           std::shared_ptr<StreamingBody> stream = nullptr)
      : status(status),
        content_type(std::move(content_type)),
        headers(std::move(headers)),
        body(std::move(body)),
        stream(std::move(stream)) {}

  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<StreamingBody> stream;  // set: `body` is ignored
  RouteName route;  // set by the router
};

// Splits a request target into decoded path and query parameters; false
// when its percent-encoding is broken.
bool parse_target(std::string_view target, std::string& path,
                  std::map<std::string, std::string>& query);

}  // namespace shop::http
