#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace shop {

// Why a command was refused. The HTTP adapter maps each kind to one status
// code in one place; nothing else in the code knows about status codes.
enum class FailureKind {
  malformed,          // the request cannot be read at all
  unsupported_media_type,
  invalid,            // readable, but a field breaks a rule
  unauthenticated,    // no valid credentials
  forbidden,          // authenticated, not allowed
  not_found,
  conflict,           // the current state forbids it
  stale_version,      // optimistic concurrency lost
  precondition_required,  // optimistic concurrency not even attempted
  rate_limited,
  unavailable,        // a dependency is down; retry later
};

struct FieldError {
  std::string field;
  std::string message;
};

// The one exception type that crosses layers: a refused command with a
// machine-readable code, a human detail and optional per-field errors.
class Failure : public std::runtime_error {
 public:
  Failure(FailureKind kind, std::string code, std::string detail,
          std::vector<FieldError> errors = {})
      : std::runtime_error(detail),
        kind_(kind),
        code_(std::move(code)),
        errors_(std::move(errors)) {}

  // For rate_limited and unavailable: when the client may try again.
  static Failure retry_later(FailureKind kind, std::string code, std::string detail,
                             int retry_after_seconds) {
    Failure failure(kind, std::move(code), std::move(detail));
    failure.retry_after_seconds_ = retry_after_seconds;
    return failure;
  }

  FailureKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  int retry_after_seconds() const { return retry_after_seconds_; }

 private:
  FailureKind kind_;
  std::string code_;
  std::vector<FieldError> errors_;
  int retry_after_seconds_ = 0;
};

// A Failure of kind unavailable: what the work needed (a database, another
// module) is down or busy, through no fault of the input.
inline bool is_unavailable(const std::exception& error) {
  const auto* failure = dynamic_cast<const Failure*>(&error);
  return failure && failure->kind() == FailureKind::unavailable;
}

inline Failure invalid_field(std::string field, std::string message) {
  std::string detail = field + ": " + message;
  return Failure(FailureKind::invalid, "validation_failed", std::move(detail),
                 {FieldError{std::move(field), std::move(message)}});
}

}  // namespace shop
