#pragma once

#include <doctest/doctest.h>

#include <optional>

#include "domain/shared/failure.hpp"

namespace doctest {
template <>
struct StringMaker<shop::FailureKind> {
  static String convert(shop::FailureKind kind) {
    static const char* const names[] = {
        "malformed",     "unsupported_media_type", "invalid",      "unauthenticated",
        "forbidden",     "not_found",              "conflict",     "stale_version",
        "precondition_required", "rate_limited",   "unavailable"};
    return names[static_cast<int>(kind)];
  }
};
}  // namespace doctest

namespace shop::testing {

// The Failure `action` threw, or nullopt when it returned normally.
template <class Action>
std::optional<Failure> failure_of(Action&& action) {
  try {
    action();
  } catch (const Failure& failure) {
    return failure;
  }
  return std::nullopt;
}

}  // namespace shop::testing

// The expression must throw shop::Failure with this kind and code.
#define CHECK_FAILURE(expected_kind, expected_code, ...)                          \
  do {                                                                            \
    auto failure_ = ::shop::testing::failure_of([&] { (void)(__VA_ARGS__); });   \
    if (failure_) {                                                               \
      CHECK(failure_->kind() == (expected_kind));                                 \
      CHECK(failure_->code() == (expected_code));                                 \
    } else {                                                                      \
      FAIL_CHECK("expected a shop::Failure from: " #__VA_ARGS__);                 \
    }                                                                             \
  } while (false)

// The expression must throw Failure(invalid) naming exactly this field.
#define CHECK_INVALID_FIELD(expected_field, ...)                                  \
  do {                                                                            \
    auto failure_ = ::shop::testing::failure_of([&] { (void)(__VA_ARGS__); });   \
    if (failure_) {                                                               \
      CHECK(failure_->kind() == ::shop::FailureKind::invalid);                    \
      CHECK(failure_->code() == "validation_failed");                             \
      REQUIRE(failure_->errors().size() == 1);                                    \
      CHECK(failure_->errors()[0].field == (expected_field));                     \
    } else {                                                                      \
      FAIL_CHECK("expected Failure(invalid) from: " #__VA_ARGS__);                \
    }                                                                             \
  } while (false)
