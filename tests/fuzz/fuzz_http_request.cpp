// Raw bytes through the server's request path: Beast's parser with the
// server's limits, the same conversion to a Request, then every route on
// memory adapters. A 500 means an exception the handlers did not expect.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/http/beast_request.hpp"
#include "adapters/http/server.hpp"
#include "domain/shared/failure.hpp"
#include "fuzz/shop_on_memory.hpp"

namespace {

namespace bhttp = boost::beast::http;

using Parser = bhttp::request_parser<bhttp::string_body>;

// Feeds the whole input as if it arrived at once; false unless it held
// one complete request (the server answers the rest with 400 or 413 itself).
bool parse(std::string_view input, Parser& parser) {
  const shop::http::ServerSettings server_defaults;
  parser.body_limit(server_defaults.body_limit_bytes);
  parser.header_limit(std::uint32_t(server_defaults.header_limit_bytes));
  parser.eager(true);
  boost::system::error_code error;
  while (!parser.is_done() && !input.empty()) {
    std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), error);
    input.remove_prefix(used);
    if (error == bhttp::error::need_more && used > 0) continue;
    if (error || used == 0) return false;
  }
  return parser.is_done();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& surface = shop::fuzz::shop_on_memory();
  Parser parser;
  if (!parse({reinterpret_cast<const char*>(data), size}, parser)) return 0;
  const auto& message = parser.get();
  std::string request_id = "fuzz-1";
  if (auto incoming = message["X-Request-Id"]; shop::http::is_safe_request_id(incoming)) {
    request_id = std::string(incoming);
  }
  shop::http::Request request;
  try {
    request = shop::http::to_request(message, "203.0.113.7", request_id);
  } catch (const shop::Failure&) {
    return 0;  // the server answers it with a problem document
  }
  shop::http::Response response = surface.router.handle(request);
  if (response.status == 500) __builtin_trap();
  if (response.stream) response.stream->next();
  return 0;
}
