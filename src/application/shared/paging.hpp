#pragma once

#include <cstddef>

namespace shop {

// Every list of the API pages by cursor: 20 items unless asked, 100 at most.
inline constexpr std::size_t default_page_size = 20;
inline constexpr std::size_t max_page_size = 100;

}  // namespace shop
