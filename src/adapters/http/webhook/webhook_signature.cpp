#include "adapters/http/webhook/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace shop::http {

std::string webhook_signature(std::string_view secret, std::int64_t unix_seconds,
                              std::string_view body) {
  std::string timestamp = std::to_string(unix_seconds);
  std::string signed_text = timestamp + "." + std::string(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), int(secret.size()),
            reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), digest,
            &length)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string value = "t=" + timestamp + ",v1=";
  for (unsigned int i = 0; i < length; ++i) {
    value += hex[digest[i] >> 4];
    value += hex[digest[i] & 0x0f];
  }
  return value;
}

}  // namespace shop::http
