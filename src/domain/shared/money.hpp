#pragma once

#include <cstdint>
#include <string>

namespace shop {

// Money in minor units (won, cents) so that sums are exact.
struct Money {
  std::int64_t amount = 0;
  std::string currency;

  friend bool operator==(const Money&, const Money&) = default;
};

// Largest amount accepted anywhere: far above any real price, far below
// overflow when many of them are summed.
inline constexpr std::int64_t max_money_amount = 1'000'000'000'000;

bool is_currency_code(const std::string& code);

// Throws Failure(invalid) naming `field` when the amount is negative, too
// large, or the currency is not three upper-case letters.
void validate_money(const Money& money, const std::string& field);

}  // namespace shop
