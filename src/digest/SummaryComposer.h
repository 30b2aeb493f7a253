#pragma once

#include <string>

#include "digest/SummaryCalendar.h"
#include "stats/ChatStatistics.h"

namespace okarchive {

/// Writes a chat's digest for one period: plain text, at most kMaxCharacters characters, in English ("en") or
/// Russian ("ru"). Numbers come from the statistics module (computeStatistics); the previous period's statistics give
/// the change. The period label is part of the text, so each period's digest is distinct (the exactly-once check
/// looks for this exact text in the chat's history).
class SummaryComposer {
public:
    static constexpr std::size_t kMaxCharacters = 4000;

    explicit SummaryComposer(std::string language) : _language(std::move(language)) {}

    std::string compose(const SummaryPeriod& period, const std::string& timezone, const ChatStatistics& current,
                        const ChatStatistics& previous) const;

private:
    std::string _language;
};

/// At most `limit` Unicode characters of UTF-8 `text` (cut at a character boundary, with "…" when cut).
std::string truncateCharacters(const std::string& text, std::size_t limit);

}  // namespace okarchive
