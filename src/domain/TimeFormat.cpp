#include "TimeFormat.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace okarchive {

std::string formatIsoUtc(std::int64_t epochMs) {
    using namespace std::chrono;
    epochMs = std::clamp(epochMs, kEarliestFormattableMs, kLatestFormattableMs);  // no overflow past 4-digit years
    auto ms = epochMs % 1000;
    auto secs = epochMs / 1000;
    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    const sys_days days{floor<std::chrono::days>(sys_seconds{seconds{secs}}.time_since_epoch())};
    const year_month_day ymd{days};
    auto rest = secs - duration_cast<seconds>(days.time_since_epoch()).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), static_cast<long long>(rest / 3600),
                  static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60),
                  static_cast<long long>(ms));
    return buf;
}

}  // namespace okarchive
