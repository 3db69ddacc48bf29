#include "adapters/http/problem.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "domain/shared/text.hpp"

namespace shop::http {

namespace {

const char* title_of(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

int status_of(FailureKind kind) {
  switch (kind) {
    case FailureKind::malformed: return 400;
    case FailureKind::unsupported_media_type: return 415;
    case FailureKind::invalid: return 422;
    case FailureKind::unauthenticated: return 401;
    case FailureKind::forbidden: return 403;
    case FailureKind::not_found: return 404;
    case FailureKind::conflict: return 409;
    case FailureKind::stale_version: return 412;
    case FailureKind::precondition_required: return 428;
    case FailureKind::rate_limited: return 429;
    case FailureKind::unavailable: return 503;
  }
  return 500;
}

Response problem(int status, const std::string& code, const std::string& detail,
                 const std::vector<FieldError>& errors) {
  // The detail may quote what the client sent (an id from the path).
  boost::json::object document{{"type", "/problems/" + code},
                               {"title", title_of(status)},
                               {"status", status},
                               {"detail", to_valid_utf8(detail)},
                               {"code", code}};
  if (!errors.empty()) {
    boost::json::array list;
    for (const auto& error : errors) {
      list.push_back(boost::json::object{{"field", error.field}, {"message", error.message}});
    }
    document["errors"] = std::move(list);
  }
  return Response{status, "application/problem+json", {}, boost::json::serialize(document), nullptr};
}

Response problem(const Failure& failure) {
  int status = status_of(failure.kind());
  Response response = problem(status, failure.code(), failure.what(), failure.errors());
  if (failure.retry_after_seconds() > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(failure.retry_after_seconds()));
  }
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace shop::http
