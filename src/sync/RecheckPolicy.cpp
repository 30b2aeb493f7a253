#include "sync/RecheckPolicy.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/Duration.h"
#include "domain/Errors.h"

namespace okarchive {

std::optional<TimeRange> RecheckSpan::over(std::int64_t newest) const {
    switch (kind) {
        case Kind::Off:
            return std::nullopt;
        case Kind::All:
            return TimeRange{0, newest};
        case Kind::Window:
            break;
    }
    return TimeRange{std::max<std::int64_t>(0, newest - window.count()), newest};
}

RecheckSpan parseRecheckSpan(const std::string& text, const std::string& where) {
    if (text == "all") return {RecheckSpan::Kind::All, {}};
    if (text == "0") return {RecheckSpan::Kind::Off, {}};
    try {
        return {RecheckSpan::Kind::Window, parseDuration(text, where)};
    } catch (const UsageError&) {
        throw UsageError(
            fmt::format("{} = '{}' must be a duration such as 12h, 7d or 30d, 0 (no re-check) or all", where, text));
    }
}

RecheckSpan RecheckSettings::spanFor(const std::string& chatId) const {
    const auto it = overrides.find(chatId);
    return it != overrides.end() ? it->second : span;
}

}  // namespace okarchive
