#include "report/NumberFormat.h"

#include <cmath>

#include <fmt/format.h>

namespace okarchive {

std::string groupedNumber(std::int64_t value) {
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -static_cast<unsigned long long>(value) : value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00A0";
        out += digits[i];
    }
    return negative ? "-" + out : out;
}

std::string shortDecimal(double value) {
    const double rounded = std::round(value * 10) / 10;
    if (rounded == std::floor(rounded)) return fmt::format("{}", static_cast<long long>(rounded));
    return fmt::format("{:.1f}", rounded);
}

std::string compactNumber(double value) {
    const double a = std::fabs(value);
    const char* sign = value < 0 ? "-" : "";
    struct Unit {
        double size;
        const char* suffix;
    };
    for (const Unit unit : {Unit{1e9, "B"}, Unit{1e6, "M"}, Unit{1e3, "k"}}) {
        if (a >= unit.size * 0.9995) {
            const double scaled = a / unit.size;
            if (scaled >= 9.95)
                return fmt::format("{}{}{}", sign, static_cast<long long>(std::round(scaled)), unit.suffix);
            return fmt::format("{}{}{}", sign, shortDecimal(scaled), unit.suffix);
        }
    }
    return std::string(sign) + shortDecimal(a);
}

std::string humanDuration(double seconds) {
    if (seconds < 60) return shortDecimal(seconds) + " s";
    if (seconds < 3600) return shortDecimal(seconds / 60) + " min";
    if (seconds < 86400 * 2) return shortDecimal(seconds / 3600) + " h";
    return shortDecimal(seconds / 86400) + " days";
}

}  // namespace okarchive
