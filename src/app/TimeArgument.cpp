#include "app/TimeArgument.h"

#include <cstdint>
#include <optional>
#include <regex>

#include <fmt/format.h>

#include "domain/CivilDate.h"
#include "domain/Errors.h"

namespace okarchive {
namespace {

/// Epoch ms of a civil date and time of day read as UTC; INT64_MIN if the date does not exist.
std::int64_t civilToEpochMs(int y, unsigned m, unsigned d, int hh, int mm, int ss, int ms) {
    const CivilDate date{y, m, d};
    if (!isValidDate(date)) return INT64_MIN;
    return ((daysFromCivil(date) * 24 + hh) * 60 + mm) * 60000 + ss * 1000LL + ms;
}

/// Milliseconds east of UTC of "Z", "+03:00" or "-0530"; nullopt past 23:59.
std::optional<std::int64_t> offsetMs(const std::string& offset) {
    if (offset == "Z" || offset == "z") return 0;
    const int sign = offset[0] == '-' ? -1 : 1;
    const int oh = std::stoi(offset.substr(1, 2));
    const int om = std::stoi(offset.substr(offset.size() - 2));
    if (oh > 23 || om > 59) return std::nullopt;
    return sign * (oh * 3600000LL + om * 60000LL);
}

/// Epoch ms of a match of the date-time pattern (groups: y m d hh mm [ss [fraction]] offset); nullopt if invalid.
std::optional<std::int64_t> dateTimeMs(const std::smatch& m) {
    const int hh = std::stoi(m[4]), mm = std::stoi(m[5]), ss = m[6].matched ? std::stoi(m[6]) : 0;
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    int ms = 0;
    if (m[7].matched) {
        auto frac = m[7].str();
        frac.resize(3, '0');
        ms = std::stoi(frac.substr(0, 3));
    }
    const auto utc = civilToEpochMs(std::stoi(m[1]), std::stoul(m[2]), std::stoul(m[3]), hh, mm, ss, ms);
    const auto offset = offsetMs(m[8].str());
    if (utc == INT64_MIN || !offset) return std::nullopt;
    return utc - *offset;
}

}  // namespace

std::int64_t parseTimeArgument(const std::string& text, const TimeZone& zone, const std::string& option) {
    auto bad = [&] {
        return UsageError(fmt::format(
            "{}='{}': expected YYYY-MM-DD, an ISO 8601 date-time with offset (2024-03-01T10:00:00+03:00) or epoch ms",
            option, text));
    };
    static const std::regex epoch(R"(^\d{1,16}$)");
    static const std::regex date(R"(^(\d{4})-(\d{2})-(\d{2})$)");
    static const std::regex dateTime(
        R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$)");
    std::smatch m;
    if (std::regex_match(text, epoch)) return std::stoll(text);
    if (std::regex_match(text, m, date)) {
        // Local midnight in the export's time zone.
        const auto localMidnight = civilToEpochMs(std::stoi(m[1]), std::stoul(m[2]), std::stoul(m[3]), 0, 0, 0, 0);
        if (localMidnight == INT64_MIN) throw bad();
        return zone.localToUtc(localMidnight);
    }
    if (std::regex_match(text, m, dateTime))
        if (const auto utc = dateTimeMs(m)) return *utc;
    throw bad();
}

}  // namespace okarchive
