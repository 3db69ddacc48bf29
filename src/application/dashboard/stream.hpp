#pragma once

#include <cstddef>
#include <cstdint>

#include "application/dashboard/api.hpp"

namespace shop::dashboard {

// Reads the next stored events for a stream viewer (see DashboardApi::stream).
StreamBatch read_stream(DashboardStore& store, std::int64_t after_position,
                        const StreamViewer& viewer, std::size_t limit);

}  // namespace shop::dashboard
