#include "api/RetryPolicy.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

namespace okarchive {

ErrorClass classifyErrorCode(int errorCode) {
    switch (errorCode) {
        case 1:
        case 2:
        case 8:
        case 11: return ErrorClass::Transient;
        case 101:
        case 102:
        case 103: return ErrorClass::Auth;
        case 10:
        case 50:
        case 300: return ErrorClass::ChatAccess;
        default: return ErrorClass::Final;
    }
}

const char* errorCodeName(int errorCode) {
    switch (errorCode) {
        case 1: return "UNKNOWN";
        case 2: return "SERVICE";
        case 3: return "METHOD";
        case 4: return "REQUEST";
        case 7: return "ACTION_BLOCKED";
        case 8: return "FLOOD_BLOCKED";
        case 9: return "IP_BLOCKED";
        case 10: return "PERMISSION_DENIED";
        case 11: return "LIMIT_REACHED";
        case 50: return "NOT_ADMIN";
        case 100: return "PARAM";
        case 101: return "PARAM_API_KEY";
        case 102: return "PARAM_SESSION_EXPIRED";
        case 103: return "PARAM_SESSION_KEY";
        case 104: return "PARAM_SIGNATURE";
        case 110: return "PARAM_USER_ID";
        case 300: return "NOT_FOUND";
        default: return "";
    }
}

std::chrono::milliseconds RetryPolicy::backoff(int attempt, std::mt19937_64& rng) const {
    const std::int64_t base = std::max<std::int64_t>(0, baseDelay.count());
    const std::int64_t cap = std::max<std::int64_t>(0, maxDelay.count());
    if (attempt < 0) attempt = 0;
    std::int64_t ceiling;
    if (base == 0)
        ceiling = 0;
    else if (attempt >= 62 || base > (cap >> attempt))
        ceiling = cap;  // base * 2^attempt would pass the cap
    else
        ceiling = std::min(cap, base << attempt);
    std::uniform_int_distribution<std::int64_t> uniform(0, ceiling);
    return std::chrono::milliseconds(uniform(rng));
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now) {
    std::size_t b = 0, e = value.size();
    while (b < e && std::isspace(static_cast<unsigned char>(value[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(value[e - 1]))) --e;
    if (b == e) return std::nullopt;
    const std::string v = value.substr(b, e - b);

    if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
        std::int64_t seconds = 0;
        auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
        constexpr std::int64_t kMaxSeconds = 1'000'000'000;  // ~31 years: "forever" without overflow
        if (ec == std::errc::result_out_of_range || seconds > kMaxSeconds)
            seconds = kMaxSeconds;
        else if (ec != std::errc() || ptr != v.data() + v.size())
            return std::nullopt;
        return std::chrono::milliseconds(seconds * 1000);
    }

    // An HTTP-date needs letters (day and month names) and a hh:mm:ss time; Poco's parser alone is too lenient.
    bool hasAlpha = std::any_of(v.begin(), v.end(), [](unsigned char c) { return std::isalpha(c); });
    if (!hasAlpha || std::count(v.begin(), v.end(), ':') < 2) return std::nullopt;
    // Poco's parser accepts a date in the wrong format (and misreads it), so pick the one format by its shape:
    // "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate), "Sunday, 06-Nov-94 08:49:37 GMT" (RFC 850),
    // "Sun Nov  6 08:49:37 1994" (asctime).
    const std::size_t comma = v.find(',');
    const std::string* format = &Poco::DateTimeFormat::ASCTIME_FORMAT;
    if (comma != std::string::npos) {
        const std::size_t dash = v.find('-', comma);
        format = dash != std::string::npos && dash < v.find(':') ? &Poco::DateTimeFormat::RFC850_FORMAT
                                                                 : &Poco::DateTimeFormat::HTTP_FORMAT;
    }
    Poco::DateTime when;
    int tzd = 0;
    if (!Poco::DateTimeParser::tryParse(*format, v, when, tzd)) return std::nullopt;
    when.makeUTC(tzd);
    const std::int64_t whenUs = when.timestamp().epochMicroseconds();
    const std::int64_t nowUs = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    if (whenUs <= nowUs) return std::chrono::milliseconds(0);
    return std::chrono::milliseconds((whenUs - nowUs + 999) / 1000);
}

}  // namespace okarchive
