#include "sim/MediaFaults.h"

#include <stdexcept>

#include "sim/Rng.h"

namespace okarchive::sim {
namespace {

constexpr MediaFault kFaults[] = {MediaFault::NotFound,    MediaFault::Gone,  MediaFault::ServerError,
                                  MediaFault::Trickle,     MediaFault::Reset, MediaFault::Short,
                                  MediaFault::Html200,     MediaFault::Huge,  MediaFault::RedirectPrivate,
                                  MediaFault::ExpiredFirst};

std::uint64_t idHash(std::uint64_t seed, MediaKind kind, std::string_view id) {
    std::uint64_t h = mix64(seed ^ 0x6661756c74ULL ^ (static_cast<std::uint64_t>(kind) << 56));
    for (unsigned char c : id) h = mix64(h ^ c);
    return h;
}

bool fits(MediaFault fault, MediaKind kind) {
    return fault != MediaFault::Html200 || (kind != MediaKind::File && kind != MediaKind::Other);
}

}  // namespace

const std::vector<std::string>& MediaFaultPlan::names() {
    static const std::vector<std::string> names = {"404",   "410",     "500",  "trickle",          "reset",
                                                   "short", "html200", "huge", "redirect-private", "expired-first"};
    return names;
}

std::string_view mediaFaultName(MediaFault fault) {
    if (fault == MediaFault::None) return "none";
    return MediaFaultPlan::names()[static_cast<std::size_t>(fault) - 1];
}

MediaFault MediaFaultPlan::parse(const std::string& name) {
    const auto& all = names();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i] == name) return kFaults[i];
    throw std::invalid_argument("unknown media fault kind '" + name +
                                "' (expected 404, 410, 500, trickle, reset, short, html200, huge, redirect-private or "
                                "expired-first)");
}

MediaFaultPlan::MediaFaultPlan(std::uint64_t seed, double rate, const std::vector<std::string>& kinds)
    : _seed(seed), _rate(rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) throw std::invalid_argument("the media fault rate must be from 0 to 1");
    for (const auto& name : kinds) _kinds.push_back(parse(name));
    if (_kinds.empty()) _kinds.assign(std::begin(kFaults), std::end(kFaults));
}

MediaFault MediaFaultPlan::faultOf(MediaKind kind, std::string_view id) const {
    const std::uint64_t h = idHash(_seed, kind, id);
    if (static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0) >= _rate) return MediaFault::None;
    std::vector<MediaFault> fitting;
    for (MediaFault fault : _kinds)
        if (fits(fault, kind)) fitting.push_back(fault);
    if (fitting.empty()) return MediaFault::None;
    return fitting[mix64(h) % fitting.size()];
}

}  // namespace okarchive::sim
