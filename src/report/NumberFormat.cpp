#include "report/NumberFormat.h"

#include <cmath>

#include <fmt/format.h>

namespace okarchive {
namespace {

/// A unit after a number: English glues the short ones ("12k"), Russian puts a no-break space before its words.
struct Unit {
    double size;
    const char *english, *russian;
};

}  // namespace

std::string compactNumber(double value, Locale locale) {
    const double a = std::fabs(value);
    const char* sign = value < 0 ? "-" : "";
    for (const Unit unit : {Unit{1e9, "B", "\u00A0млрд"}, Unit{1e6, "M", "\u00A0млн"}, Unit{1e3, "k", "\u00A0тыс."}}) {
        if (a >= unit.size * 0.9995) {
            const double scaled = a / unit.size;
            const char* suffix = locale == Locale::Russian ? unit.russian : unit.english;
            if (scaled >= 9.95) return fmt::format("{}{}{}", sign, static_cast<long long>(std::round(scaled)), suffix);
            return fmt::format("{}{}{}", sign, localDecimal(locale, scaled), suffix);
        }
    }
    return std::string(sign) + localDecimal(locale, a);
}

std::string humanDuration(double seconds, Locale locale) {
    const bool ru = locale == Locale::Russian;
    if (seconds < 60) return localDecimal(locale, seconds) + (ru ? "\u00A0с" : " s");
    if (seconds < 3600) return localDecimal(locale, seconds / 60) + (ru ? "\u00A0мин" : " min");
    if (seconds < 86400 * 2) return localDecimal(locale, seconds / 3600) + (ru ? "\u00A0ч" : " h");
    return localDecimal(locale, seconds / 86400) + (ru ? "\u00A0дн." : " days");
}

}  // namespace okarchive
