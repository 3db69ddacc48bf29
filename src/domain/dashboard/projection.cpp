#include "domain/dashboard/projection.hpp"

#include <algorithm>
#include <tuple>

namespace shop::dashboard {

namespace {

void add(Money& sum, const Money& amount) {
  sum.amount += amount.amount;
  if (sum.currency.empty()) sum.currency = amount.currency;
}

}  // namespace

bool is_active(std::string_view order_status) {
  return std::ranges::any_of(active_statuses,
                             [&](const char* active) { return order_status == active; });
}

OrderRow apply(OrderRow row, const Fact& fact) {
  row.order_id = fact.order_id;
  if (row.customer_id.empty()) row.customer_id = fact.customer_id;
  if (fact.order_status) row.status = *fact.order_status;
  if (fact.cancel_reason) row.cancel_reason = *fact.cancel_reason;
  if (fact.total) row.total = *fact.total;
  if (fact.payment_status) row.payment_status = *fact.payment_status;
  if (fact.approved) add(row.spent, *fact.approved);
  if (fact.refunded) add(row.refunded, *fact.refunded);
  if (fact.delivery_status) row.delivery_status = *fact.delivery_status;
  return row;
}

std::string event_name(std::string_view type) {
  constexpr std::string_view prefix = "shop.";
  if (!type.starts_with(prefix)) return std::string(type);
  std::string_view name = type.substr(prefix.size());
  auto dot = name.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < name.size() && name[dot + 1] == 'v') {
    name = name.substr(0, dot);
  }
  return std::string(name);
}

bool timeline_before(const TimelineRow& a, const TimelineRow& b) {
  return std::tie(a.at, a.event_id) < std::tie(b.at, b.event_id);
}

void sort_timeline(std::vector<TimelineRow>& rows) { std::ranges::sort(rows, timeline_before); }

CustomerTotals summarize(const std::vector<OrderRow>& rows) {
  CustomerTotals totals;
  for (const auto& row : rows) {
    if (!row.status.empty()) ++totals.orders_placed;
    if (is_active(row.status)) ++totals.orders_active;
    if (row.status == order_status::delivered) ++totals.orders_delivered;
    if (row.status == order_status::cancelled) ++totals.orders_cancelled;
    totals.amount_spent += row.spent.amount;
    totals.amount_refunded += row.refunded.amount;
    // The greatest currency, as SQL's MAX would pick: independent of row order.
    totals.currency = std::max(totals.currency, row.spent.currency);
  }
  return totals;
}

}  // namespace shop::dashboard
