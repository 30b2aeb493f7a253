#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace okarchive {

/// For digest attempts recorded by okarchive < 4 (no search start): their text is looked for from this long before
/// the attempt. The one value the ledger that tags digests and the readers that count untagged ones share.
inline constexpr std::int64_t kLegacyDigestClockSlackMs = 10 * 60 * 1000;

/// The period a digest covers (ms since epoch, start inclusive, end exclusive) and its human label.
struct DigestPeriod {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string label;
};

/// One recorded digest.
struct DigestRow {
    std::int64_t id = 0;
    DigestPeriod period;
    bool forced = false;  ///< posted on request, outside the once-per-period rule
    std::string text;
    std::string state;  ///< "intent" or "posted"
    std::int64_t attempts = 0;
    std::int64_t attemptedAt = 0;  ///< our wall clock
    /// The newest archived message timestamp of the chat (the server's clock) when the attempt was recorded: the
    /// digest, if it reached the chat, is stamped at or after it. Unknown for attempts recorded by okarchive < 4.
    std::optional<std::int64_t> searchFrom;
    std::optional<std::int64_t> postedAt;
    std::string lastError;
    std::optional<std::int64_t> messageKey;  ///< the archived message it was found as (tagged), if any
};

/// The record of digests: the intent written before a POST, the outcome after, and the tagging of the bot's digest
/// messages once archived (so exports can leave them out).
class DigestLedger {
public:
    virtual ~DigestLedger() = default;

    /// The exactly-once row of (chat, period) (not a forced one), if any.
    virtual std::optional<DigestRow> findDigest(const std::string& chatId, std::int64_t periodStart,
                                                std::int64_t periodEnd) = 0;
    /// Every digest recorded for the chat, by period start, then id.
    virtual std::vector<DigestRow> digests(const std::string& chatId) = 0;
    /// Unforced digests of the chat still in 'intent' (interrupted or failed attempts), oldest period first.
    virtual std::vector<std::pair<DigestPeriod, std::string>> pendingDigests(const std::string& chatId) = 0;
    /// Writes (or renews, for an existing unforced row) the intent to post `text` at `nowMs`, with the chat's newest
    /// archived timestamp as DigestRow::searchFrom; returns the row id.
    virtual std::int64_t recordDigestIntent(const std::string& chatId, const DigestPeriod& period,
                                            const std::string& text, bool forced, std::int64_t nowMs) = 0;
    virtual void recordDigestPosted(std::int64_t id, std::int64_t nowMs) = 0;
    virtual void recordDigestFailure(std::int64_t id, const std::string& error) = 0;
    /// The earliest archived non-service message of the chat with exactly `text` that may be the post of an attempt
    /// at `attemptedAtMs` (its message key), if any: stamped at or after `sinceMs` (the server's clock), or first
    /// archived at or after `attemptedAtMs` (the clock that stamps the archive, as the attempt's). Either alone can
    /// miss it: a message stamped in the future, our clock stepped back.
    virtual std::optional<std::int64_t> findArchivedText(const std::string& chatId, const std::string& text,
                                                         std::int64_t sinceMs, std::int64_t attemptedAtMs) = 0;
    /// Links posted, untagged digests of the chat to the archived message with their text (looked for as by
    /// findArchivedText, from their searchFrom, or `clockSlackMs` before their attempt when it is unknown). Returns
    /// how many were tagged.
    virtual int tagArchivedDigests(const std::string& chatId, std::int64_t clockSlackMs) = 0;
    /// The message keys tagArchivedDigests would link now (one archived message per posted, untagged digest, found as
    /// it finds them), ascending, linking nothing: what a reader that may not write counts as digests besides the
    /// tagged ones.
    virtual std::vector<std::int64_t> untaggedDigestMessages(const std::string& chatId, std::int64_t clockSlackMs) = 0;
};

}  // namespace okarchive
