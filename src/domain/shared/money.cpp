#include "domain/shared/money.hpp"

#include "domain/shared/failure.hpp"

namespace shop {

bool is_currency_code(const std::string& code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

void validate_money(const Money& money, const std::string& field) {
  if (money.amount < 0) throw invalid_field(field + ".amount", "must not be negative");
  if (money.amount > max_money_amount) throw invalid_field(field + ".amount", "is too large");
  if (!is_currency_code(money.currency)) {
    throw invalid_field(field + ".currency", "must be a three-letter ISO 4217 code");
  }
}

}  // namespace shop
