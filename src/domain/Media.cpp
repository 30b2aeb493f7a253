#include "domain/Media.h"

#include <array>
#include <utility>

namespace okarchive {

namespace {

constexpr std::array<std::pair<MediaState, std::string_view>, 6> kNames = {{
    {MediaState::Pending, "pending"},
    {MediaState::Saved, "saved"},
    {MediaState::SkippedPolicy, "skipped_policy"},
    {MediaState::Expired, "expired"},
    {MediaState::FailedTransient, "failed_transient"},
    {MediaState::FailedPermanent, "failed_permanent"},
}};

}  // namespace

std::string_view mediaStateName(MediaState state) {
    for (const auto& [s, name] : kNames)
        if (s == state) return name;
    return "pending";
}

std::optional<MediaState> parseMediaState(std::string_view name) {
    for (const auto& [s, n] : kNames)
        if (n == name) return s;
    return std::nullopt;
}

std::string mediaStorePath(std::string_view sha256Hex) {
    std::string path = "sha256/";
    path.append(sha256Hex.substr(0, 2)).append("/").append(sha256Hex.substr(2, 2)).append("/").append(sha256Hex);
    return path;
}

}  // namespace okarchive
