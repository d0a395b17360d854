#pragma once
// The sweep's random numbers: one independent, reproducible stream per (seed, trial index), so a
// resumed sweep samples trial k exactly as the first driver would have. Our own distributions
// (not <random>'s), so the numbers are the same with every standard library.

#include <cmath>
#include <cstdint>

namespace lb::sweep {

class SweepRandom {
public:
    SweepRandom(std::uint64_t seed, std::uint64_t stream) : state_(mix(seed ^ mix(stream + 0x51ed27))) {}

    std::uint64_t next() { // splitmix64
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix(state_);
    }
    // Uniform in [0, 1).
    double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
    // Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
    // Standard normal (Box-Muller; the second value is dropped to keep streams simple).
    double normal() {
        double u = uniform01();
        while (u <= 0)
            u = uniform01();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * uniform01());
    }

private:
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t state_;
};

} // namespace lb::sweep
