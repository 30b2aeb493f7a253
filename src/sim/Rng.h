#pragma once

#include <cstdint>

namespace okarchive::sim {

/// SplitMix64 finaliser: a good 64-bit mix, used to derive independent deterministic streams.
constexpr std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// A small deterministic random generator (SplitMix64). Same seed, same sequence, on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : _state(seed) {}

    /// The next 64 random bits.
    std::uint64_t next() {
        _state += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = _state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    /// Uniform in [0, n); 0 when n is 0.
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

    /// Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

private:
    std::uint64_t _state;
};

}  // namespace okarchive::sim
