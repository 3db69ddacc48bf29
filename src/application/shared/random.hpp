#pragma once

namespace shop {

// The only source of randomness for decisions such as retry jitter: tests
// pass one that returns what they choose.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Uniformly distributed in [0, 1).
  virtual double unit() = 0;
};

}  // namespace shop
