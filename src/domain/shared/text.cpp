#include "domain/shared/text.hpp"

#include <string>

#include "domain/shared/failure.hpp"

namespace shop {

namespace {

// Decodes one code point starting at `i`; returns false on malformed UTF-8
// (overlong forms, surrogates and truncated sequences included).
bool next_code_point(std::string_view text, std::size_t& i, char32_t& out) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t extra = 0;
  char32_t value = 0;
  if (lead < 0x80) {
    out = lead;
    ++i;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    value = lead & 0x07;
  } else {
    return false;
  }
  if (i + extra >= text.size()) return false;
  for (std::size_t k = 1; k <= extra; ++k) {
    unsigned char continuation = byte(i + k);
    if ((continuation & 0xC0) != 0x80) return false;
    value = (value << 6) | (continuation & 0x3F);
  }
  static constexpr char32_t smallest[] = {0, 0x80, 0x800, 0x10000};
  if (value < smallest[extra] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return false;
  }
  out = value;
  i += extra + 1;
  return true;
}

}  // namespace

std::size_t utf8_length(const std::string& text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    char32_t ignored;
    if (!next_code_point(text, i, ignored)) return std::string::npos;
  }
  return count;
}

std::string to_valid_utf8(std::string_view text) {
  std::string valid;
  valid.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    char32_t ignored;
    if (next_code_point(text, i, ignored)) {
      valid.append(text.substr(start, i - start));
    } else {
      valid += "\xEF\xBF\xBD";
      i = start + 1;
    }
  }
  return valid;
}

bool is_clean_text(const std::string& text, bool allow_newlines) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t c;
    if (!next_code_point(text, i, c)) return false;
    bool newline = c == '\n' || c == '\r' || c == '\t';
    // C0 and C1 controls (U+0080-U+009F include terminal escape introducers).
    bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
    if (control && !(allow_newlines && newline)) return false;
  }
  return true;
}

void validate_text(const std::string& text, const std::string& field, std::size_t min_length,
                   std::size_t max_length, bool allow_newlines) {
  if (!is_clean_text(text, allow_newlines)) {
    throw invalid_field(field, "must be valid UTF-8 without control characters");
  }
  std::size_t length = utf8_length(text);
  bool blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (min_length > 0 && blank && length >= min_length) throw invalid_field(field, "must not be blank");
  if (length < min_length) {
    throw invalid_field(field, min_length == 1 ? "must not be empty"
                                               : "must be at least " + std::to_string(min_length) +
                                                     " characters");
  }
  if (length > max_length) {
    throw invalid_field(field, "must be at most " + std::to_string(max_length) + " characters");
  }
}

}  // namespace shop
