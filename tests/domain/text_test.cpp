#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "domain/shared/text.hpp"
#include "failure_check.hpp"

using namespace shop;

namespace {
const std::size_t npos = std::string::npos;

// Malformed UTF-8 in its usual shapes.
const std::vector<std::string> malformed = {
    "\x80",              // a continuation byte with no lead
    "\xEA\xB0",          // a truncated three-byte sequence
    "ab\xEA",            // truncated at the very end
    "\xC0\xAF",          // overlong '/'
    "\xE0\x80\xAF",      // overlong '/' in three bytes
    "\xED\xA0\x80",      // a UTF-16 surrogate
    "\xF4\x90\x80\x80",  // above U+10FFFF
    "\xFF",              // never valid
    "\xEA" "A" "\x80",   // lead byte followed by ASCII
};
}  // namespace

TEST_CASE("utf8_length counts code points") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("shop") == 4);
  CHECK(utf8_length("안녕하세요") == 5);
  CHECK(std::string("안녕하세요").size() == 15);
  CHECK(utf8_length("caf\xC3\xA9") == 4);
  CHECK(utf8_length("\xF0\x9F\x9B\x92") == 1);  // U+1F6D2 shopping cart
  CHECK(utf8_length("a가\xF0\x9F\x9B\x92z") == 4);
  CHECK(utf8_length("\xF4\x8F\xBF\xBF") == 1);  // U+10FFFF, the last code point
}

TEST_CASE("utf8_length returns npos for invalid UTF-8") {
  for (const auto& text : malformed) {
    CAPTURE(text);
    CHECK(utf8_length(text) == npos);
  }
}

TEST_CASE("is_clean_text refuses invalid UTF-8") {
  for (const auto& text : malformed) {
    CAPTURE(text);
    CHECK_FALSE(is_clean_text(text, true));
  }
}

TEST_CASE("is_clean_text refuses C0 control characters and DEL") {
  CHECK(is_clean_text("plain text, 한글 포함", false));
  CHECK_FALSE(is_clean_text(std::string("nul\0byte", 8), false));
  CHECK_FALSE(is_clean_text("\x01", false));
  CHECK_FALSE(is_clean_text("red\x1B[31m", false));
  CHECK_FALSE(is_clean_text("\x7F", true));
  CHECK_FALSE(is_clean_text("\x0B", true));  // vertical tab is not a line break here
}

TEST_CASE("line breaks and tabs are clean only when allowed") {
  for (const std::string text : {"a\nb", "a\r\nb", "a\tb"}) {
    CAPTURE(text);
    CHECK_FALSE(is_clean_text(text, false));
    CHECK(is_clean_text(text, true));
  }
}

// C1 controls (U+0080..U+009F) are control characters too; U+009B is the
// one-byte CSI that starts terminal escape sequences in logs and consoles.
TEST_CASE("is_clean_text refuses C1 control characters") {
  CHECK_FALSE(is_clean_text("\xC2\x80", false));
  CHECK_FALSE(is_clean_text("\xC2\x85", false));  // NEL
  CHECK_FALSE(is_clean_text("red\xC2\x9B" "31m", false));  // CSI
  CHECK_FALSE(is_clean_text("\xC2\x9F", true));
}

TEST_CASE("validate_text bounds the length in code points") {
  CHECK_NOTHROW(validate_text("가나다", "name", 3, 3));
  CHECK_INVALID_FIELD("name", validate_text("가나", "name", 3, 5));
  CHECK_INVALID_FIELD("name", validate_text("가나다라마바", "name", 3, 5));
  CHECK_INVALID_FIELD("name", validate_text("", "name", 1, 5));
  CHECK_NOTHROW(validate_text("", "note", 0, 5));
}

TEST_CASE("validate_text refuses dirty text, naming the field") {
  CHECK_INVALID_FIELD("note", validate_text("\xC3\x28", "note", 0, 100));
  CHECK_INVALID_FIELD("note", validate_text("a\nb", "note", 0, 100));
  CHECK_NOTHROW(validate_text("a\nb", "note", 0, 100, true));
  CHECK_INVALID_FIELD("note", validate_text("a\x1B", "note", 0, 100, true));
}

TEST_CASE("a required text of blanks only is refused, an optional one is not") {
  CHECK_INVALID_FIELD("name", validate_text("   ", "name", 1, 100));
  CHECK_INVALID_FIELD("name", validate_text("\t \t", "name", 1, 100, true));
  CHECK_NOTHROW(validate_text(" Kim ", "name", 1, 100));
  CHECK_NOTHROW(validate_text("  ", "description", 0, 100));
}

TEST_CASE("to_valid_utf8 keeps valid text and replaces each bad byte") {
  CHECK(to_valid_utf8("녹차 tea") == "녹차 tea");
  CHECK(to_valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(to_valid_utf8("\xEA\xB0") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  for (const auto& bad : malformed) CHECK(utf8_length(to_valid_utf8(bad)) != npos);
}
