#include "domain/Locale.h"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/TextFold.h"

namespace okarchive {
namespace {

struct Names {
    std::string_view key, english, russian;
};

constexpr Names kAttachmentTypes[] = {
    {"IMAGE", "Photo", "Фото"},
    {"VIDEO", "Video", "Видео"},
    {"AUDIO", "Audio", "Аудио"},
    {"SHARE", "Link", "Ссылка"},
    {"FILE", "File", "Файл"},
    {"CONTACT", "Contact", "Контакт"},
    {"INLINE_KEYBOARD", "Buttons", "Кнопки"},
    {"LOCATION", "Location", "Геопозиция"},
    {"MUSIC", "Music", "Музыка"},
    {"CALL", "Call", "Звонок"},
    {"PRESENT", "Gift", "Подарок"},
    {"STICKER", "Sticker", "Стикер"},
};

constexpr Names kServiceEvents[] = {
    {"EXIT", "Left the chat", "Вышли из чата"},
    {"LEAVE", "Left the chat", "Вышли из чата"},
    {"JOIN", "Joined the chat", "Вошли в чат"},
    {"ENTER", "Joined the chat", "Вошли в чат"},
    {"ADD", "Added to the chat", "Добавлены в чат"},
    {"INVITE", "Invited to the chat", "Приглашены в чат"},
    {"REMOVE", "Removed from the chat", "Удалены из чата"},
    {"KICK", "Removed from the chat", "Удалены из чата"},
    {"TITLE", "Title changed", "Название изменено"},
    {"ICON", "Icon changed", "Значок изменён"},
};

constexpr std::string_view kMonths[][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"},
    {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
     "декабрь"},
    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
     "декабря"},
};

constexpr std::string_view kWeekdays[][7] = {
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
    {"понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"},
};

template <std::size_t N>
std::string nameIn(const Names (&table)[N], Locale locale, std::string_view key) {
    for (const auto& names : table)
        if (equalsIgnoringAsciiCase(names.key, key))
            return std::string(locale == Locale::Russian ? names.russian : names.english);
    return std::string(key);
}

}  // namespace

Locale parseLocale(std::string_view text, std::string_view what) {
    const std::string_view language = text.substr(0, text.find_first_of("-_"));
    if (equalsIgnoringAsciiCase(language, "en")) return Locale::English;
    if (equalsIgnoringAsciiCase(language, "ru")) return Locale::Russian;
    throw UsageError(fmt::format("{}: unknown locale '{}' (use en or ru)", what, text));
}

std::string_view localeTag(Locale locale) { return locale == Locale::Russian ? "ru" : "en"; }

std::string attachmentTypeName(Locale locale, std::string_view type) { return nameIn(kAttachmentTypes, locale, type); }

std::optional<std::string_view> attachmentTypeNamed(std::string_view name) {
    const std::string folded = foldCase(name);
    for (const auto& names : kAttachmentTypes)
        if (folded == foldCase(names.english) || folded == foldCase(names.russian)) return names.key;
    return std::nullopt;
}

std::string serviceEventName(Locale locale, std::string_view type) { return nameIn(kServiceEvents, locale, type); }

std::string_view monthName(Locale locale, unsigned month, bool genitive) {
    const std::size_t form = locale == Locale::English ? 0 : (genitive ? 2 : 1);
    return kMonths[form][(month + 11) % 12];
}

std::string_view weekdayName(Locale locale, unsigned weekday) {
    return kWeekdays[locale == Locale::Russian ? 1 : 0][weekday % 7];
}

std::string longDate(Locale locale, unsigned weekday, std::int64_t year, unsigned month, unsigned day) {
    return fmt::format("{}, {}", weekdayName(locale, weekday), dayMonthYear(locale, year, month, day));
}

std::string dayMonthYear(Locale locale, std::int64_t year, unsigned month, unsigned day) {
    if (locale == Locale::Russian) return fmt::format("{} {} {} г.", day, monthName(locale, month, true), year);
    return fmt::format("{} {} {}", day, monthName(locale, month), year);
}

std::string groupedCount(Locale locale, std::int64_t value) {
    const std::string_view separator = locale == Locale::Russian ? "\xC2\xA0" : ",";
    const std::string digits = std::to_string(value < 0 ? -(value + 1) + 1ull : static_cast<unsigned long long>(value));
    std::string out = value < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

std::string localDecimal(Locale locale, double value, int fractionDigits) {
    std::string text = fmt::format("{:.{}f}", value, fractionDigits < 0 ? 0 : fractionDigits);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    if (text == "-0") text = "0";
    if (locale == Locale::Russian)
        for (char& c : text)
            if (c == '.') c = ',';
    return text;
}

}  // namespace okarchive
