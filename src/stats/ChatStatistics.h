#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/TimeZone.h"
#include "store/ReadSnapshot.h"

namespace okarchive {

class Archive;

/// Which part of a chat to describe. Times in ms since epoch: since inclusive, until exclusive (as export's filter).
/// Days and hours are bucketed in `zone`.
struct StatsQuery {
    std::string chatId;
    std::optional<std::int64_t> since = {}, until = {};
    TimeZone zone = TimeZone::utc();
    bool includeDigests = false;  ///< count okarchive's own posted digests (the digest ledger) as chat activity
};

/// One sender's non-service messages in the range.
struct SenderStats {
    std::string userId, name;                        ///< name: the latest name the archive has seen for the user
    std::int64_t messages = 0, first = 0, last = 0;  ///< first/last: timestamps (ms) of their first and last message
};

struct DayCount {
    std::string date;  ///< local date YYYY-MM-DD
    std::int64_t messages = 0;
};

struct MemberDay {
    std::string date;  ///< local date YYYY-MM-DD
    std::int64_t joined = 0, left = 0;
};

/// The edits and deletions the archive observed on one local day (the day it observed them), or of one sender.
struct ChangeCount {
    std::string key;  ///< local date YYYY-MM-DD, or the sender's user id
    std::int64_t edits = 0, deletions = 0;
};

/// Activity of one chat over a time range. "messages" always means non-service messages.
struct ChatStatistics {
    std::string chatId;
    std::optional<std::int64_t> since, until;
    std::string timezone;  ///< IANA name of the zone days and hours are counted in

    std::int64_t messages = 0, serviceEvents = 0, attachments = 0, senders = 0;
    /// Every local day from the range's first to its last (the query's bounds, else the first and last archived
    /// message in range, service messages included), zeros included. Empty when the range holds nothing and is open.
    std::vector<DayCount> byDay;
    std::array<std::array<std::int64_t, 24>, 7> byHourOfWeek{};  ///< [weekday Mon=0..Sun=6][local hour]
    std::vector<SenderStats> bySender;                           ///< all senders, by messages descending, then user id
    std::map<std::string, std::int64_t> events;                  ///< service type (verbatim) -> count
    std::vector<MemberDay> members;                              ///< only days with joins or leaves, ascending
    std::map<std::string, std::int64_t> attachmentsByType;       ///< attachments of messages in range, by type
    /// Observed changes to messages in range (issue 13): revisions kept and messages marked deleted, per local day
    /// of the observation (ascending, only days with changes) and per sender (by user id).
    std::int64_t edits = 0, deletions = 0;
    std::vector<ChangeCount> changesByDay, changesBySender;

    /// Conversations: messages in time order; a silence of MORE than 30 minutes (kConversationGapMs) between two
    /// consecutive messages starts a new conversation (exactly 30:00 does not).
    std::int64_t conversations = 0;
    double medianConversationLength = 0;  ///< median of messages per conversation (singletons included); 0 if none
    double medianGapSeconds = 0;          ///< median of the gaps between consecutive messages of the same conversation
    /// Replies: messages in range with a reply_to whose target is archived in the same chat (anywhere in time).
    std::int64_t replies = 0;
    double medianResponseSeconds = 0;  ///< median of (reply timestamp - target timestamp); 0 if no replies
};

/// Silence after which the next message starts a new conversation (a gap equal to it does not).
inline constexpr std::int64_t kConversationGapMs = 30 * 60 * 1000;

/// Service types counted as someone joining (ADD, JOIN, ENTER, INVITE) or leaving (EXIT, LEAVE, REMOVE, KICK).
bool isJoinEvent(std::string_view serviceType);
bool isLeaveEvent(std::string_view serviceType);

/// Counts by count descending, ties by name ascending (the order reports list events and attachment types in).
std::vector<std::pair<std::string, std::int64_t>> byCountDescending(const std::map<std::string, std::int64_t>& counts);

/// Median of `values` (the mean of the two middle ones for an even count); 0 for none. Reorders `values`.
template <class T>
double median(std::vector<T>& values) {
    if (values.empty()) return 0;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    const double upper = static_cast<double>(*middle);
    if (values.size() % 2 == 1) return upper;
    const double lower = static_cast<double>(*std::max_element(values.begin(), middle));
    return (lower + upper) / 2;
}

/// Computes the statistics of `query` from the store's aggregates, streaming: memory grows with the number of days,
/// senders and conversations, not messages. Reads in one snapshot. Unless `query.includeDigests`, the bot's digests
/// are left out: those the ledger tagged, and those it posted but has not linked yet (found by their text, as the
/// ledger finds them). Throws StorageError.
ChatStatistics computeStatistics(Archive& archive, const StatsQuery& query);
/// Within a snapshot; it leaves out only the digests the ledger tagged.
ChatStatistics computeStatistics(ReadSnapshot& snapshot, const StatsQuery& query);

}  // namespace okarchive
