#pragma once

#include <string>

namespace shop {

// Opaque, unique, and (for the production adapter) time-ordered ids, so that
// ordering by id is ordering by creation and cursors stay stable.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string next() = 0;
};

}  // namespace shop
