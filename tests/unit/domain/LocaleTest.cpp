#include <catch2/catch.hpp>

#include <limits>

#include "domain/Errors.h"
#include "domain/Locale.h"

using namespace okarchive;

TEST_CASE("parseLocale takes en and ru by language and names the setting for anything else") {
    CHECK(parseLocale("en", "--locale") == Locale::English);
    CHECK(parseLocale("RU", "--locale") == Locale::Russian);
    CHECK(parseLocale("ru_RU", "--locale") == Locale::Russian);
    CHECK(parseLocale("en-GB", "--locale") == Locale::English);
    CHECK(localeTag(Locale::Russian) == "ru");
    CHECK(localeTag(Locale::English) == "en");
    try {
        parseLocale("de", "export.locale");
        FAIL("de was accepted");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()).find("export.locale") != std::string::npos);
        CHECK(std::string(e.what()).find("'de'") != std::string::npos);
    }
    CHECK_THROWS_AS(parseLocale("", "--locale"), UsageError);
}

TEST_CASE("attachment types and service events have human names in both languages and unknown ones stay raw") {
    CHECK(attachmentTypeName(Locale::English, "IMAGE") == "Photo");
    CHECK(attachmentTypeName(Locale::Russian, "image") == "Фото");
    CHECK(attachmentTypeName(Locale::Russian, "INLINE_KEYBOARD") == "Кнопки");
    CHECK(attachmentTypeName(Locale::Russian, "ZZZ_FUTURE_KIND") == "ZZZ_FUTURE_KIND");
    CHECK(serviceEventName(Locale::English, "EXIT") == "Left the chat");
    CHECK(serviceEventName(Locale::Russian, "Join") == "Вошли в чат");
    CHECK(serviceEventName(Locale::English, "PIN_SOMETHING") == "PIN_SOMETHING");
}

TEST_CASE("dates and numbers follow the locale") {
    CHECK(longDate(Locale::English, 0, 2026, 3, 2) == "Monday, 2 March 2026");
    CHECK(longDate(Locale::Russian, 0, 2026, 3, 2) == "понедельник, 2 марта 2026 г.");
    CHECK(monthName(Locale::Russian, 5) == "май");
    CHECK(monthName(Locale::Russian, 5, true) == "мая");
    CHECK(weekdayName(Locale::English, 6) == "Sunday");
    CHECK(groupedCount(Locale::English, 20000) == "20,000");
    CHECK(groupedCount(Locale::Russian, 1234567) ==
          "1\xC2\xA0"
          "234\xC2\xA0"
          "567");
    CHECK(groupedCount(Locale::English, 999) == "999");
    CHECK(groupedCount(Locale::English, -1000) == "-1,000");
    CHECK(groupedCount(Locale::English, std::numeric_limits<std::int64_t>::min()) == "-9,223,372,036,854,775,808");
    CHECK(localDecimal(Locale::English, 2.5) == "2.5");
    CHECK(localDecimal(Locale::Russian, 2.5) == "2,5");
    CHECK(localDecimal(Locale::English, 2.0) == "2");
    CHECK(localDecimal(Locale::Russian, 12.345, 2) == "12,35");
}

TEST_CASE("attachmentTypeNamed finds a type by its human name in either language, ignoring case") {
    CHECK(attachmentTypeNamed("photo") == std::optional<std::string_view>("IMAGE"));
    CHECK(attachmentTypeNamed("Фото") == std::optional<std::string_view>("IMAGE"));
    CHECK(attachmentTypeNamed("ФОТО") == std::optional<std::string_view>("IMAGE"));
    CHECK(attachmentTypeNamed("buttons") == std::optional<std::string_view>("INLINE_KEYBOARD"));
    CHECK(attachmentTypeNamed("Геопозиция") == std::optional<std::string_view>("LOCATION"));
    CHECK_FALSE(attachmentTypeNamed("IMAGE").has_value());  // a type itself is not a name
    CHECK_FALSE(attachmentTypeNamed("HOLOGRAM").has_value());
    CHECK_FALSE(attachmentTypeNamed("").has_value());
}
