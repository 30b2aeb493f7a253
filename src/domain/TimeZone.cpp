#include "domain/TimeZone.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iterator>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "domain/CivilDate.h"
#include "domain/Errors.h"

namespace okarchive {
namespace {

[[noreturn]] void invalidZone(const std::string& name, const std::string& why) {
    throw UsageError(fmt::format("time zone \"{}\" cannot be used: {}", name, why));
}

/// Big-endian reader over the bytes of a TZif file; every read is bounds-checked.
class TzifReader {
public:
    TzifReader(const std::string& data, const std::string& name) : _d(data), _name(name) {}

    std::size_t pos() const { return _p; }
    void need(std::size_t n) const {
        if (_d.size() - _p < n) invalidZone(_name, "its TZif file is truncated");
    }
    void skip(std::size_t n) {
        need(n);
        _p += n;
    }
    std::uint8_t u8() {
        need(1);
        return static_cast<std::uint8_t>(_d[_p++]);
    }
    std::uint32_t u32() {
        need(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(_d[_p++]);
        return v;
    }
    std::int64_t s64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(_d[_p++]);
        return static_cast<std::int64_t>(v);
    }
    std::string_view rest() const { return std::string_view(_d).substr(_p); }

private:
    const std::string& _d;
    const std::string& _name;
    std::size_t _p = 0;
};

struct TzifHeader {
    char version = 0;
    std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

TzifHeader readHeader(TzifReader& r, const std::string& name) {
    r.need(44);
    if (r.u8() != 'T' || r.u8() != 'Z' || r.u8() != 'i' || r.u8() != 'f')
        invalidZone(name, "it is not a TZif file (no \"TZif\" magic)");
    TzifHeader h;
    h.version = static_cast<char>(r.u8());
    r.skip(15);
    h.isutcnt = r.u32();
    h.isstdcnt = r.u32();
    h.leapcnt = r.u32();
    h.timecnt = r.u32();
    h.typecnt = r.u32();
    h.charcnt = r.u32();
    if (h.typecnt == 0 || h.typecnt > 256) invalidZone(name, "its TZif file has an invalid number of local time types");
    return h;
}

/// Parses the POSIX TZ string of a TZif footer (RFC 8536 section 3.3 and POSIX 8.3, with the RFC's extensions:
/// hours up to 167 and negative times of day).
class PosixRuleParser {
public:
    PosixRuleParser(std::string_view text, const std::string& zone) : _s(text), _zone(zone) {}

    TimeZone::PosixRule parse() {
        TimeZone::PosixRule rule;
        designation();
        rule.stdOffset = -offset(24);
        if (_p == _s.size()) {
            rule.dstOffset = rule.stdOffset;
            return rule;
        }
        designation();
        rule.hasDst = true;
        rule.dstOffset = rule.stdOffset + 3600;
        if (_p < _s.size() && _s[_p] != ',') rule.dstOffset = -offset(24);
        if (_p == _s.size()) {  // POSIX default: the US rules
            rule.start = {TimeZone::RuleDate::Kind::MonthWeekDay, 3, 2, 0, 0, 7200};
            rule.end = {TimeZone::RuleDate::Kind::MonthWeekDay, 11, 1, 0, 0, 7200};
            return rule;
        }
        expect(',');
        rule.start = date();
        expect(',');
        rule.end = date();
        if (_p != _s.size()) fail();
        return rule;
    }

private:
    [[noreturn]] void fail() const {
        invalidZone(_zone, fmt::format("its TZ rule \"{}\" is not understood", std::string(_s)));
    }
    void expect(char c) {
        if (_p >= _s.size() || _s[_p] != c) fail();
        ++_p;
    }
    bool digit() const { return _p < _s.size() && _s[_p] >= '0' && _s[_p] <= '9'; }
    int number() {
        if (!digit()) fail();
        int v = 0;
        while (digit()) {
            v = v * 10 + (_s[_p++] - '0');
            if (v > 100000) fail();
        }
        return v;
    }
    void designation() {
        if (_p < _s.size() && _s[_p] == '<') {
            auto close = _s.find('>', _p);
            if (close == std::string_view::npos) fail();
            _p = close + 1;
            return;
        }
        std::size_t start = _p;
        while (_p < _s.size() && ((_s[_p] >= 'A' && _s[_p] <= 'Z') || (_s[_p] >= 'a' && _s[_p] <= 'z'))) ++_p;
        if (_p - start < 3) fail();
    }
    /// [+-]hh[:mm[:ss]] in seconds (sign as written).
    int offset(int maxHours) {
        int sign = 1;
        if (_p < _s.size() && (_s[_p] == '+' || _s[_p] == '-')) sign = _s[_p++] == '-' ? -1 : 1;
        int h = number();
        if (h > maxHours) fail();
        int secs = h * 3600;
        if (_p < _s.size() && _s[_p] == ':') {
            ++_p;
            secs += number() * 60;
            if (_p < _s.size() && _s[_p] == ':') {
                ++_p;
                secs += number();
            }
        }
        return sign * secs;
    }
    TimeZone::RuleDate date() {
        TimeZone::RuleDate d;
        if (_p < _s.size() && _s[_p] == 'M') {
            ++_p;
            d.kind = TimeZone::RuleDate::Kind::MonthWeekDay;
            d.month = number();
            expect('.');
            d.week = number();
            expect('.');
            d.weekday = number();
            if (d.month < 1 || d.month > 12 || d.week < 1 || d.week > 5 || d.weekday > 6) fail();
        } else if (_p < _s.size() && _s[_p] == 'J') {
            ++_p;
            d.kind = TimeZone::RuleDate::Kind::Julian1;
            d.day = number();
            if (d.day < 1 || d.day > 365) fail();
        } else {
            d.kind = TimeZone::RuleDate::Kind::Julian0;
            d.day = number();
            if (d.day > 365) fail();
        }
        d.secondsOfDay = 7200;
        if (_p < _s.size() && _s[_p] == '/') {
            ++_p;
            d.secondsOfDay = offset(167);
        }
        return d;
    }

    std::string_view _s;
    const std::string& _zone;
    std::size_t _p = 0;
};

/// The local (wall-clock) second, counted from 1970-01-01T00:00 local, at which `d` happens in year `y`.
std::int64_t ruleLocalSeconds(const TimeZone::RuleDate& d, std::int64_t y) {
    std::int64_t days = 0;
    switch (d.kind) {
        case TimeZone::RuleDate::Kind::MonthWeekDay: {
            const auto m = static_cast<unsigned>(d.month);
            const std::int64_t first = daysFromCivil(y, m, 1);
            const int firstWeekday = (weekdayFromDays(first) + 1) % 7;  // POSIX counts from Sunday = 0
            std::int64_t day = (d.weekday - firstWeekday + 7) % 7 + (d.week - 1) * 7;
            while (day >= static_cast<std::int64_t>(daysInMonth(y, m))) day -= 7;
            days = first + day;
            break;
        }
        case TimeZone::RuleDate::Kind::Julian1:
            days = daysFromCivil(y, 1, 1) + d.day - 1 + (isLeapYear(y) && d.day >= 60 ? 1 : 0);
            break;
        case TimeZone::RuleDate::Kind::Julian0: days = daysFromCivil(y, 1, 1) + d.day; break;
    }
    return days * kSecondsPerDay + d.secondsOfDay;
}

bool validZoneName(const std::string& name) {
    if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
    std::size_t segmentStart = 0;
    for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name[i] == '/') {
            std::string_view segment(name.data() + segmentStart, i - segmentStart);
            if (segment.empty() || segment == "." || segment == "..") return false;
            segmentStart = i + 1;
            continue;
        }
        char c = name[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  c == '+' || c == '.';
        if (!ok) return false;
    }
    return true;
}

/// The bytes of zone `name`'s TZif file under $TZDIR (default /usr/share/zoneinfo); UsageError if it is unknown.
std::string readZoneFile(const std::string& name) {
    const char* envDir = std::getenv("TZDIR");
    const std::string dir = envDir && *envDir ? envDir : "/usr/share/zoneinfo";
    if (!validZoneName(name))
        invalidZone(name, "expected an IANA zone name such as Europe/Moscow, America/New_York or UTC");
    const std::string path = dir + "/" + name;
    std::string data;
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        if (in && (bytes << in.rdbuf())) data = std::move(bytes).str();
    }
    if (data.size() < 4 || data.compare(0, 4, "TZif") != 0)
        throw UsageError(
            fmt::format("unknown time zone \"{}\": expected an IANA zone name such as Europe/Moscow or "
                        "UTC (looked for {}; the zones come from Debian's tzdata package)",
                        name, path));
    return data;
}

/// Skips the 32-bit block of a version 2+ file; the 64-bit block after the second header has the same data,
/// unclipped. Returns that second header.
TzifHeader skipVersion1Block(TzifReader& r, const TzifHeader& h, std::size_t fileSize, const std::string& name) {
    const std::uint64_t v1Size = std::uint64_t(h.timecnt) * 5 + std::uint64_t(h.typecnt) * 6 + h.charcnt +
                                 std::uint64_t(h.leapcnt) * 8 + h.isstdcnt + h.isutcnt;
    if (v1Size > fileSize) invalidZone(name, "its TZif file is truncated");
    r.skip(static_cast<std::size_t>(v1Size));
    return readHeader(r, name);
}

std::vector<std::int64_t> readTransitions(TzifReader& r, const TzifHeader& h, bool v2, const std::string& name) {
    std::vector<std::int64_t> transitions;
    transitions.reserve(h.timecnt);
    for (std::uint32_t i = 0; i < h.timecnt; ++i) {
        std::int64_t t = v2 ? r.s64() : static_cast<std::int32_t>(r.u32());
        if (!transitions.empty() && t <= transitions.back())
            invalidZone(name, "its TZif transitions are not in ascending order");
        transitions.push_back(t);
    }
    return transitions;
}

std::vector<std::uint8_t> readTypeIndexes(TzifReader& r, const TzifHeader& h, const std::string& name) {
    std::vector<std::uint8_t> indexes;
    indexes.reserve(h.timecnt);
    for (std::uint32_t i = 0; i < h.timecnt; ++i) {
        std::uint8_t index = r.u8();
        if (index >= h.typecnt) invalidZone(name, "its TZif file refers to a missing local time type");
        indexes.push_back(index);
    }
    return indexes;
}

/// The POSIX TZ rule of a version 2+ footer ("\nTZ\n"), if it has one.
std::optional<TimeZone::PosixRule> readFooterRule(const TzifReader& r, const std::string& name) {
    std::string_view rest = r.rest();
    if (rest.size() < 2 || rest[0] != '\n') return std::nullopt;
    auto end = rest.find('\n', 1);
    if (end == std::string_view::npos) invalidZone(name, "its TZif footer is not terminated");
    std::string_view tz = rest.substr(1, end - 1);
    if (tz.empty()) return std::nullopt;
    return PosixRuleParser(tz, name).parse();
}

}  // namespace

TimeZone TimeZone::utc() {
    TimeZone zone;
    zone._name = "UTC";
    zone._types.push_back({0, false});
    return zone;
}

TimeZone TimeZone::load(const std::string& name) {
    if (name == "UTC") return utc();
    const std::string data = readZoneFile(name);
    TimeZone zone;
    zone._name = name;
    TzifReader r(data, name);
    TzifHeader h = readHeader(r, name);
    const bool v2 = h.version >= '2';
    if (v2) h = skipVersion1Block(r, h, data.size(), name);
    const std::size_t timeSize = v2 ? 8 : 4;
    const std::uint64_t blockSize = std::uint64_t(h.timecnt) * (timeSize + 1) + std::uint64_t(h.typecnt) * 6 +
                                    h.charcnt + std::uint64_t(h.leapcnt) * (timeSize + 4) + h.isstdcnt + h.isutcnt;
    if (blockSize > data.size() - r.pos()) invalidZone(name, "its TZif file is truncated");

    zone._transitions = readTransitions(r, h, v2, name);
    zone._typeIndexes = readTypeIndexes(r, h, name);
    for (std::uint32_t i = 0; i < h.typecnt; ++i) {
        auto offset = static_cast<std::int32_t>(r.u32());
        bool dst = r.u8() != 0;
        r.u8();  // designation index (abbreviations are not shown)
        if (offset < -25 * 3600 || offset > 26 * 3600) invalidZone(name, "its TZif file has an impossible UTC offset");
        zone._types.push_back({offset, dst});
    }
    r.skip(h.charcnt + std::size_t(h.leapcnt) * (timeSize + 4) + h.isstdcnt + h.isutcnt);
    zone._initialOffset = zone._types[0].offset;
    if (v2) {
        if (auto rule = readFooterRule(r, name)) {
            zone._rule = *rule;
            zone._hasRule = true;
        }
    }
    return zone;
}

int TimeZone::offsetSecondsAtSeconds(std::int64_t t) const {
    if (_transitions.empty() || t >= _transitions.back()) {
        if (_hasRule) {
            if (!_rule.hasDst) return _rule.stdOffset;
            const std::int64_t year = civilFromDays(floorDiv(t + _rule.stdOffset, kSecondsPerDay)).year;
            const std::int64_t start = ruleLocalSeconds(_rule.start, year) - _rule.stdOffset;
            const std::int64_t end = ruleLocalSeconds(_rule.end, year) - _rule.dstOffset;
            const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
            return dst ? _rule.dstOffset : _rule.stdOffset;
        }
        if (_transitions.empty()) return _initialOffset;
        return _types[_typeIndexes.back()].offset;
    }
    if (t < _transitions.front()) return _initialOffset;
    auto it = std::upper_bound(_transitions.begin(), _transitions.end(), t);
    const auto index = static_cast<std::size_t>(it - _transitions.begin()) - 1;
    return _types[_typeIndexes[index]].offset;
}

int TimeZone::offsetSecondsAt(std::int64_t epochMs) const { return offsetSecondsAtSeconds(floorDiv(epochMs, 1000)); }

std::int64_t TimeZone::localDayNumber(std::int64_t epochMs) const {
    const std::int64_t secs = floorDiv(epochMs, 1000);
    return floorDiv(secs + offsetSecondsAtSeconds(secs), kSecondsPerDay);
}

int TimeZone::localWeekday(std::int64_t epochMs) const { return weekdayFromDays(localDayNumber(epochMs)); }

std::int64_t TimeZone::localToUtc(std::int64_t localMs) const {
    const std::int64_t guess = localMs - offsetSecondsAt(localMs) * 1000LL;
    return localMs - offsetSecondsAt(guess) * 1000LL;
}

void TimeZone::appendLocalDate(std::string& out, std::int64_t epochMs) const {
    appendIsoDate(out, civilFromDays(localDayNumber(epochMs)));
}

void TimeZone::appendLocalTime(std::string& out, std::int64_t epochMs) const {
    const std::int64_t secs = floorDiv(epochMs, 1000);
    const std::int64_t local = secs + offsetSecondsAtSeconds(secs);
    const auto ofDay = static_cast<unsigned>(local - floorDiv(local, kSecondsPerDay) * kSecondsPerDay);
    appendTwoDigits(out, ofDay / 3600);
    out += ':';
    appendTwoDigits(out, ofDay / 60 % 60);
}

void TimeZone::appendLocalIso(std::string& out, std::int64_t epochMs) const {
    const std::int64_t secs = floorDiv(epochMs, 1000);
    const auto ms = static_cast<unsigned>(epochMs - secs * 1000);
    const int offset = offsetSecondsAtSeconds(secs);
    const std::int64_t local = secs + offset;
    const std::int64_t days = floorDiv(local, kSecondsPerDay);
    const auto ofDay = static_cast<unsigned>(local - days * kSecondsPerDay);
    appendIsoDate(out, civilFromDays(days));
    out += 'T';
    appendTwoDigits(out, ofDay / 3600);
    out += ':';
    appendTwoDigits(out, ofDay / 60 % 60);
    out += ':';
    appendTwoDigits(out, ofDay % 60);
    out += '.';
    out += static_cast<char>('0' + ms / 100);
    appendTwoDigits(out, ms % 100);
    const unsigned abs = static_cast<unsigned>(offset < 0 ? -offset : offset);
    out += offset < 0 ? '-' : '+';
    appendTwoDigits(out, abs / 3600);
    out += ':';
    appendTwoDigits(out, abs / 60 % 60);
    if (abs % 60 != 0) {  // local mean times before ~1920 have second offsets; ISO 8601 cannot round them away
        out += ':';
        appendTwoDigits(out, abs % 60);
    }
}

std::string TimeZone::localDate(std::int64_t epochMs) const {
    std::string out;
    appendLocalDate(out, epochMs);
    return out;
}

std::string TimeZone::localTime(std::int64_t epochMs) const {
    std::string out;
    appendLocalTime(out, epochMs);
    return out;
}

std::string TimeZone::localIso(std::int64_t epochMs) const {
    std::string out;
    appendLocalIso(out, epochMs);
    return out;
}

}  // namespace okarchive
