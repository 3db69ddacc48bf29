#pragma once

#include <chrono>
#include <string>

namespace shop::http {

// GET /health/live on a local server: true on a 200 within `timeout`. For
// `shopbox healthcheck` in images that have no curl.
bool probe_live(const std::string& host, unsigned short port, std::chrono::seconds timeout);

}  // namespace shop::http
