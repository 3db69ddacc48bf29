#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace shop {

// Length in Unicode code points (names are often Korean, where bytes and
// characters differ by a factor of three). Returns npos for invalid UTF-8.
std::size_t utf8_length(const std::string& text);

// The text with every malformed UTF-8 sequence replaced by U+FFFD, for
// echoing client bytes into JSON and logs, which must be valid UTF-8.
std::string to_valid_utf8(std::string_view text);

// True when the text is valid UTF-8 with no control characters.
bool is_clean_text(const std::string& text, bool allow_newlines);

// Throws Failure(invalid) unless `text` is clean and its length lies in
// [min_length, max_length] code points.
void validate_text(const std::string& text, const std::string& field, std::size_t min_length,
                   std::size_t max_length, bool allow_newlines = false);

}  // namespace shop
