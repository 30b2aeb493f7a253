#include "sim/FaultInjector.h"

#include <chrono>
#include <stdexcept>

#include "sim/Rng.h"

namespace okarchive::sim {

const std::vector<std::string>& FaultInjector::kindNames() {
    static const std::vector<std::string> names = {"500",       "503",     "429",   "error8", "error2",
                                                   "truncated", "nonjson", "reset", "delay"};
    return names;
}

FaultKind FaultInjector::parseKind(const std::string& name) {
    static const FaultKind kinds[] = {FaultKind::Http500, FaultKind::Http503, FaultKind::Http429,
                                      FaultKind::Error8,  FaultKind::Error2,  FaultKind::Truncated,
                                      FaultKind::NonJson, FaultKind::Reset,   FaultKind::Delay};
    const auto& names = kindNames();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return kinds[i];
    throw std::invalid_argument("unknown fault kind '" + name +
                                "' (expected 500, 503, 429, error8, error2, truncated, nonjson, reset or delay)");
}

std::vector<FaultKind> FaultInjector::parseKinds(const std::vector<std::string>& kinds) {
    std::vector<FaultKind> out;
    for (const auto& name : kinds) out.push_back(parseKind(name));
    if (out.empty())
        for (const auto& name : kindNames())
            if (name != "delay") out.push_back(parseKind(name));
    return out;
}

FaultInjector::FaultInjector(std::uint64_t seed, double rate, const std::vector<std::string>& kinds) : _seed(seed) {
    configure(rate, kinds);
}

void FaultInjector::configure(double rate, const std::vector<std::string>& kinds) {
    if (!(rate >= 0.0 && rate <= 1.0)) throw std::invalid_argument("fault rate must be between 0 and 1");
    auto parsed = parseKinds(kinds);
    std::vector<std::string> names;
    for (const FaultKind kind : parsed)
        for (const auto& name : kindNames())
            if (parseKind(name) == kind) names.push_back(name);
    std::lock_guard lock(_mutex);
    _rate = rate;
    _kinds = std::move(parsed);
    _kindNames = std::move(names);
}

double FaultInjector::rate() const {
    std::lock_guard lock(_mutex);
    return _rate;
}

std::vector<std::string> FaultInjector::kinds() const {
    std::lock_guard lock(_mutex);
    return _kindNames;
}

Fault FaultInjector::next() {
    std::lock_guard lock(_mutex);
    const std::uint64_t number = ++_counter;
    if (_rate <= 0.0 || _kinds.empty()) return {};
    Rng rng(mix64(_seed ^ 0x6661756c74ULL) ^ mix64(number));
    if (rng.unit() >= _rate) return {};
    const FaultKind kind = _kinds[rng.below(_kinds.size())];
    return {kind, rng.next()};
}

bool FaultInjector::sleep(int ms) {
    std::unique_lock lock(_mutex);
    return !_wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return _stopped; });
}

void FaultInjector::stop() {
    {
        std::lock_guard lock(_mutex);
        _stopped = true;
    }
    _wake.notify_all();
}

void FaultInjector::resume() {
    std::lock_guard lock(_mutex);
    _stopped = false;
}

}  // namespace okarchive::sim
