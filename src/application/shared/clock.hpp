#pragma once

#include "domain/shared/time.hpp"

namespace shop {

// The only source of "now": tests pass a clock they advance by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

}  // namespace shop
