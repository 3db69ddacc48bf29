#pragma once

#include <boost/json/value.hpp>
#include <vector>

#include "application/catalog/api.hpp"
#include "application/identity/api.hpp"
#include "application/payment/api.hpp"
#include "application/stock/api.hpp"

// The bodies of the internal routes, read and written by both sides: the
// process that owns a module and the remote port that calls it. Readers
// throw Failure(invalid) naming every wrong field.
namespace shop::http::internal {

boost::json::value principal_json(const identity::Principal& principal);
identity::Principal principal_of(const boost::json::value& json);

boost::json::value product_json(const catalog::ProductView& product);
catalog::ProductView product_of(const boost::json::value& json);

boost::json::value lines_json(const std::vector<stock::ReservationLine>& lines);
std::vector<stock::ReservationLine> lines_of(const boost::json::value& json);

boost::json::value outcome_json(const stock::ReserveOutcome& outcome);
stock::ReserveOutcome outcome_of(const boost::json::value& json);

boost::json::value charge_json(const payment::ChargeRequest& request);
payment::ChargeRequest charge_of(const boost::json::value& json);

boost::json::value authorization_json(const payment::Authorization& authorization);
payment::Authorization authorization_of(const boost::json::value& json);

// {"reason": "..."}: the reason of a release or a refund.
boost::json::value reason_json(const std::string& reason);
std::string reason_of(const boost::json::value& json);

}  // namespace shop::http::internal
