#include <doctest/doctest.h>

#include "domain/shared/money.hpp"
#include "failure_check.hpp"

using namespace shop;

TEST_CASE("currency codes are exactly three upper-case ASCII letters") {
  CHECK(is_currency_code("KRW"));
  CHECK(is_currency_code("USD"));
  CHECK_FALSE(is_currency_code(""));
  CHECK_FALSE(is_currency_code("KR"));
  CHECK_FALSE(is_currency_code("KRWX"));
  CHECK_FALSE(is_currency_code("krw"));
  CHECK_FALSE(is_currency_code("K R"));
  CHECK_FALSE(is_currency_code("\xC3\x80KR"));
}

TEST_CASE("validate_money names the offending sub-field") {
  CHECK_NOTHROW(validate_money(Money{0, "KRW"}, "total"));
  CHECK_NOTHROW(validate_money(Money{max_money_amount, "KRW"}, "total"));
  CHECK_INVALID_FIELD("total.amount", validate_money(Money{-1, "KRW"}, "total"));
  CHECK_INVALID_FIELD("total.amount", validate_money(Money{INT64_MAX, "KRW"}, "total"));
  CHECK_INVALID_FIELD("total.currency", validate_money(Money{1, "won"}, "total"));
}

TEST_CASE("money compares by amount and currency") {
  CHECK(Money{100, "KRW"} == Money{100, "KRW"});
  CHECK_FALSE(Money{100, "KRW"} == Money{100, "USD"});
  CHECK_FALSE(Money{100, "KRW"} == Money{101, "KRW"});
}
