#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "adapters/http/problem.hpp"

using namespace shop;

// Found by the fuzz corpus: a declined payment's 402 was titled
// "Internal Server Error".
TEST_CASE("every status the API answers with has its own problem title") {
  for (int status : {400, 401, 402, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 503}) {
    CAPTURE(status);
    auto body = boost::json::parse(http::problem(status, "code", "detail").body).as_object();
    CHECK(body.at("title").as_string() != "Internal Server Error");
  }
  auto declined = boost::json::parse(http::problem(402, "payment_declined", "no").body).as_object();
  CHECK(declined.at("title").as_string() == "Payment Required");
}
