#include "exporters/HtmlWords.h"

namespace okarchive {
namespace {

const HtmlWords kEnglish{
    .titlePart = " \xC2\xB7 part {}",
    .replyToMissing = "reply to a message not in this export",
    .replyTo = "reply to ",
    .notInExport = " (not in this export)",
    .unknownSender = "unknown sender",
    .previousPart = "\xE2\x86\x90 Previous part",
    .partNumber = "Part {}",
    .partOf = " of {}",
    .nextPart = "Next part \xE2\x86\x92",
    .emptyPage = "No messages.",
    .exportedBy = "Exported by okarchive on ",
    .noMessages = "no messages",
    .timesIn = "times in ",
    .edited = "edited, seen ",
    .deletedObserved = "deleted, seen gone ",
    .earlierVersions = "earlier versions: {}",
    .replacedAt = "replaced ",
    .noText = "(no text)",
};

const HtmlWords kRussian{
    .titlePart = " \xC2\xB7 часть {}",
    .replyToMissing = "ответ на сообщение, которого нет в этой выгрузке",
    .replyTo = "ответ на ",
    .notInExport = " (нет в этой выгрузке)",
    .unknownSender = "неизвестный отправитель",
    .previousPart = "\xE2\x86\x90 Предыдущая часть",
    .partNumber = "Часть {}",
    .partOf = " из {}",
    .nextPart = "Следующая часть \xE2\x86\x92",
    .emptyPage = "Сообщений нет.",
    .exportedBy = "Выгружено okarchive ",
    .noMessages = "сообщений нет",
    .timesIn = "часовой пояс ",
    .edited = "изменено, замечено ",
    .deletedObserved = "удалено, замечено ",
    .earlierVersions = "прежние версии: {}",
    .replacedAt = "заменено ",
    .noText = "(без текста)",
};

/// `count` and the noun's form: English one/other, Russian one (1, 21), few (2-4, 22-24) or many (5-20, 11-14).
std::string counted(Locale locale, std::uint64_t count, std::string_view one, std::string_view other,
                    std::string_view russianOne, std::string_view russianFew, std::string_view russianMany) {
    std::string out = groupedCount(locale, static_cast<std::int64_t>(count));
    out += ' ';
    if (locale == Locale::English) {
        out += count == 1 ? one : other;
        return out;
    }
    const std::uint64_t tens = count % 100, units = count % 10;
    if (units == 1 && tens != 11)
        out += russianOne;
    else if (units >= 2 && units <= 4 && (tens < 12 || tens > 14))
        out += russianFew;
    else
        out += russianMany;
    return out;
}

}  // namespace

const HtmlWords& htmlWords(Locale locale) { return locale == Locale::Russian ? kRussian : kEnglish; }

std::string messageCount(Locale locale, std::uint64_t count) {
    return counted(locale, count, "message", "messages", "сообщение", "сообщения", "сообщений");
}

std::string partCount(Locale locale, std::uint64_t count) {
    return counted(locale, count, "part", "parts", "часть", "части", "частей");
}

}  // namespace okarchive
