#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/Locale.h"

namespace okarchive {

/// What the HTML export's pages and their index page say, in one language (HTML text, already escaped; "{}" where a
/// number goes).
struct HtmlWords {
    std::string_view titlePart;       ///< " · part {}" after the chat's title
    std::string_view replyToMissing;  ///< a reply whose target is not in the export
    std::string_view replyTo;         ///< "reply to " and the target's mid (no resolver)
    std::string_view notInExport;     ///< after a quoted target outside the export
    std::string_view unknownSender;
    std::string_view previousPart;
    std::string_view partNumber;  ///< "Part {}"
    std::string_view partOf;      ///< " of {}"
    std::string_view nextPart;
    std::string_view emptyPage;   ///< the page of an export without messages
    std::string_view exportedBy;  ///< before the export's time
    std::string_view noMessages;  ///< in the header line
    std::string_view timesIn;     ///< before the time zone's name
    std::string_view edited;           ///< before the time a change was observed
    std::string_view deletedObserved;  ///< before the time a deletion was observed
    std::string_view earlierVersions;  ///< the <summary> of a message's earlier versions ("{}": how many)
    std::string_view replacedAt;       ///< before the time an earlier version was replaced
    std::string_view noText;           ///< an earlier version without text
};

const HtmlWords& htmlWords(Locale locale);

/// "1 message", "20,000 messages" / "1 сообщение", "3 сообщения", "20 000 сообщений" (groupedCount, Russian plural).
std::string messageCount(Locale locale, std::uint64_t count);

/// "3 parts" / "3 части", "5 частей".
std::string partCount(Locale locale, std::uint64_t count);

}  // namespace okarchive
