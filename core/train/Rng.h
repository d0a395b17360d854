#pragma once
// Seeded randomness with the same sequence on every platform: std::mt19937_64's output is fixed
// by the standard, but std::uniform_int_distribution and std::normal_distribution are not, so
// the bounded integers and the normals are derived here.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <utility>

namespace lb::train {

class Rng {
public:
    explicit Rng(std::uint64_t seed)
        : gen_(seed) {}

    std::uint64_t next() { return gen_(); }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }

    // Uniform integer in [0, n), n > 0, without modulo bias (rejection sampling).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % n);
        for (;;) {
            const std::uint64_t x = next();
            if (x < limit) return x % n;
        }
    }

    // Standard normal (Box-Muller; the second value is dropped to keep the stream simple).
    double normal() {
        double u1 = uniform();
        while (u1 <= 0.0)
            u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    // Fisher-Yates shuffle of a whole array.
    template <typename T> void shuffle(T* data, std::size_t n) {
        for (std::size_t i = n; i > 1; --i)
            std::swap(data[i - 1], data[below(i)]);
    }

private:
    std::mt19937_64 gen_;
};

} // namespace lb::train
