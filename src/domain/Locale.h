#pragma once

#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

namespace okarchive {

/// The language of what a reader sees (HTML export, txt transcript, report, digest): English or Russian.
enum class Locale { English, Russian };

/// "en" or "ru" (case-insensitive, "en-US"/"ru_RU" accepted by their language); throws UsageError naming `what`
/// (the option or setting, e.g. "--locale" or "export.locale") and the text.
Locale parseLocale(std::string_view text, std::string_view what);

/// The BCP 47 tag for `<html lang>`: "en" or "ru".
std::string_view localeTag(Locale locale);

/// The human name of an attachment type ("IMAGE" -> "Photo" / "Фото"), matched case-insensitively; an unknown type
/// keeps its raw name verbatim.
std::string attachmentTypeName(Locale locale, std::string_view type);

/// The attachment type whose English or Russian human name is `name`, ignoring case ("photo", "Фото" -> "IMAGE");
/// nullopt when no type has that name.
std::optional<std::string_view> attachmentTypeNamed(std::string_view name);

/// The human name of a service event kind as a label ("EXIT" -> "Left the chat" / "Вышли из чата"), matched
/// case-insensitively; an unknown kind keeps its raw name verbatim.
std::string serviceEventName(Locale locale, std::string_view type);

/// The month's name, 1..12: "March"; in Russian the nominative "март", or with `genitive` the form of a date,
/// "марта" ("2 марта 2026"). English ignores `genitive`.
std::string_view monthName(Locale locale, unsigned month, bool genitive = false);

/// The weekday's name, 0 = Monday .. 6 = Sunday: "Monday" / "понедельник".
std::string_view weekdayName(Locale locale, unsigned weekday);

/// A calendar date for people: "Monday, 2 March 2026" / "понедельник, 2 марта 2026 г.". `weekday` 0 = Monday.
std::string longDate(Locale locale, unsigned weekday, std::int64_t year, unsigned month, unsigned day);

/// A calendar date without its weekday: "2 March 2026" / "2 марта 2026 г.".
std::string dayMonthYear(Locale locale, std::int64_t year, unsigned month, unsigned day);

/// A count with grouped thousands: "20,000" in English, "20 000" (no-break space U+00A0) in Russian.
std::string groupedCount(Locale locale, std::int64_t value);

/// A decimal with at most `fractionDigits` digits, no trailing zeros: "2.5" / "2,5".
std::string localDecimal(Locale locale, double value, int fractionDigits = 1);

}  // namespace okarchive
