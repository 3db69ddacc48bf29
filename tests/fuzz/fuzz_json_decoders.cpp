// The request body decoders of every route that reads JSON. The first byte
// picks the decoder, the rest is the body. Refusing a body is a Failure (a
// 4xx); any other exception escapes and aborts, as it would have been a 500.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "adapters/http/catalog/catalog_requests.hpp"
#include "adapters/http/delivery/delivery_requests.hpp"
#include "adapters/http/identity/identity_requests.hpp"
#include "adapters/http/order/order_requests.hpp"
#include "adapters/http/stock/stock_requests.hpp"
#include "domain/shared/failure.hpp"

namespace {

using shop::http::Request;

const std::array<std::function<void(const Request&)>, 8> decoders = {
    [](const Request& r) { shop::http::read_product_input(r); },
    [](const Request& r) { shop::http::read_registration(r); },
    [](const Request& r) { shop::http::read_credentials(r); },
    [](const Request& r) { shop::http::read_restock_quantity(r); },
    [](const Request& r) { shop::http::read_stock_take(r); },
    [](const Request& r) { shop::http::read_status_change(r); },
    [](const Request& r) { shop::http::read_place_order(r, "user-000003"); },
    [](const Request& r) { shop::http::read_cancel_reason(r); },
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Request request;
  request.method = "POST";
  request.path = "/api/v1/fuzz";
  request.headers = {{"content-type", "application/json"}};
  request.body = std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    decoders[data[0] % decoders.size()](request);
  } catch (const shop::Failure&) {
  }
  return 0;
}
