#include "digest/SummaryPoster.h"

#include <algorithm>

#include <Poco/Logger.h>
#include <fmt/format.h>

#include "api/ChatDirectory.h"
#include "api/GraphClient.h"
#include "domain/Errors.h"
#include "digest/SummaryComposer.h"
#include "digest/SummaryLedger.h"
#include "stats/ChatStatistics.h"
#include "store/Archive.h"

namespace okarchive {

SummaryPoster::SummaryPoster(SummaryConfig config, const Env& env, Poco::Logger& logger)
    : _env(env), _logger(logger), _config(std::move(config)) {}

void SummaryPoster::reload(SummaryConfig config) {
    std::lock_guard lock(_mutex);
    _config = std::move(config);
}

SummaryConfig SummaryPoster::currentConfig() const {
    std::lock_guard lock(_mutex);
    return _config;
}

std::string SummaryPoster::composeDigest(Archive& archive, const std::string& chatId, const SummaryCalendar& calendar,
                                         const SummaryPeriod& period, const std::string& language) {
    const auto before = calendar.previous(period);
    StatsQuery current{chatId, period.start, period.end, calendar.zone()};
    StatsQuery previous{chatId, before.start, before.end, calendar.zone()};
    return SummaryComposer(language).compose(period, calendar.zone().name(), computeStatistics(archive, current),
                                             computeStatistics(archive, previous));
}

SummaryPoster::Outcome SummaryPoster::deliver(Archive& archive, GraphClient& client, const std::string& chatId,
                                              const SummaryPeriod& period, const std::string& text, bool forced,
                                              const Env& env, std::optional<std::int64_t> syncStartedAtMs) {
    SummaryLedger ledger(archive);
    std::string body = text;
    if (!forced) {
        if (const auto row = ledger.find(chatId, period)) {
            if (row->state == "posted") return Outcome::AlreadyPosted;
            // An attempt was interrupted (crash) or failed ambiguously: did it reach the chat?
            if (ledger.findArchivedAttempt(chatId, *row)) {
                ledger.recordPosted(row->id, env.wallMs());
                ledger.tagArchivedDigests(chatId);
                return Outcome::FoundInHistory;
            }
            if (!syncStartedAtMs || *syncStartedAtMs <= row->attemptedAt) return Outcome::Unresolved;
            body = row->text;  // proven absent: post the very text the intent recorded
        }
    }
    // Stamped after the latest sync we know of: a clock stepped back since then cannot make that earlier sync
    // look later than this attempt and so "prove" absent a digest it never saw (a second post).
    const auto attemptedAt = syncStartedAtMs ? std::max(env.wallMs(), *syncStartedAtMs + 1) : env.wallMs();
    const auto id = ledger.recordIntent(chatId, period, body, forced, attemptedAt);
    try {
        ChatDirectory(client).postText(chatId, body);
    } catch (const ApiError& e) {
        ledger.recordFailure(id, e.what());
        throw;
    }
    ledger.recordPosted(id, env.wallMs());
    return Outcome::Posted;
}

bool SummaryPoster::afterSync(const std::string& chatId, Archive& archive, GraphClient& client,
                              std::int64_t syncStartedAtMs) {
    const auto config = currentConfig();
    if (!config.enabled) return false;
    if (!config.chats.empty() && std::find(config.chats.begin(), config.chats.end(), chatId) == config.chats.end())
        return false;
    SummaryLedger(archive).tagArchivedDigests(chatId);
    // Earlier attempts left unresolved (a crash, a failed POST) come first, whatever period they were for.
    for (const auto& [pending, pendingText] : SummaryLedger(archive).pendingIntents(chatId))
        report(chatId, pending, deliver(archive, client, chatId, pending, pendingText, false, _env, syncStartedAtMs));
    const SummaryCalendar calendar(config);
    const auto period = calendar.latestDue(_env.wallMs());
    if (period.end > syncStartedAtMs) return false;  // the sync does not cover the period's end yet: next cycle
    if (const auto row = SummaryLedger(archive).find(chatId, period); row && row->state == "posted") return true;
    const auto text = composeDigest(archive, chatId, calendar, period, config.language);
    return report(chatId, period, deliver(archive, client, chatId, period, text, false, _env, syncStartedAtMs));
}

bool SummaryPoster::report(const std::string& chatId, const SummaryPeriod& period, Outcome outcome) const {
    switch (outcome) {
        case Outcome::Posted:
            _logger.information(fmt::format("{}  digest for {} posted", chatId, period.label));
            if (_onPosted) _onPosted(chatId);
            return true;
        case Outcome::FoundInHistory:
            _logger.notice(
                fmt::format("{}  digest for {} was posted by an interrupted attempt (found in the chat's "
                            "history): not posted again",
                            chatId, period.label));
            return true;
        case Outcome::Unresolved:
            _logger.notice(
                fmt::format("{}  digest for {}: an earlier attempt is unresolved; the next sync tells whether it "
                            "reached the chat",
                            chatId, period.label));
            return false;
        case Outcome::AlreadyPosted: return true;
    }
    return true;
}

}  // namespace okarchive
