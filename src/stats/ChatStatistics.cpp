#include "stats/ChatStatistics.h"

#include <limits>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "domain/CivilDate.h"
#include "domain/Errors.h"
#include "store/Archive.h"

namespace okarchive {
namespace {

constexpr std::int64_t kBucketMs = 15 * 60 * 1000;  // real zones' offsets and transitions are whole quarter hours
constexpr std::int64_t kHourMs = 3600000;
constexpr std::int64_t kMaxDays = 100000;  // by_day never spans more (about 270 years)

/// Local day, weekday and hour of one UTC quarter hour: every instant of the quarter hour shares them.
struct LocalSlot {
    std::int64_t day = 0;  // days since 1970-01-01, local
    int weekday = 0;       // Mon=0 .. Sun=6
    int hour = 0;
};

/// Maps timestamps to local slots, recomputing the zone's offset only when the quarter hour changes.
class SlotMapper {
public:
    explicit SlotMapper(const TimeZone& zone) : _zone(zone) {}
    const LocalSlot& at(std::int64_t timestamp) {
        const auto bucket = floorDiv(timestamp, kBucketMs);
        if (bucket != _bucket || !_valid) {
            const auto start = bucket * kBucketMs;
            const auto local = start + static_cast<std::int64_t>(_zone.offsetSecondsAt(start)) * 1000;
            _slot.day = floorDiv(local, kMsPerDay);
            _slot.weekday = weekdayFromDays(_slot.day);
            _slot.hour = static_cast<int>(floorMod(floorDiv(local, kHourMs), 24));
            _bucket = bucket;
            _valid = true;
        }
        return _slot;
    }

private:
    const TimeZone& _zone;
    std::int64_t _bucket = 0;
    bool _valid = false;
    LocalSlot _slot;
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Message keys of the messages in range, as a bitmap (maxKey/8 bytes: 1.2 MiB for ten million archived messages).
class IdSet {
public:
    explicit IdSet(std::int64_t maxId)
        : _bits(static_cast<std::size_t>(std::max<std::int64_t>(maxId, 0) / 64 + 1), 0) {}
    void insert(std::int64_t id) {
        if (id >= 0 && static_cast<std::size_t>(id / 64) < _bits.size())
            _bits[static_cast<std::size_t>(id / 64)] |= 1ULL << (id % 64);
        _low = std::min(_low, id);
        _high = std::max(_high, id);
    }
    bool contains(std::int64_t id) const {
        return id >= 0 && static_cast<std::size_t>(id / 64) < _bits.size() &&
               (_bits[static_cast<std::size_t>(id / 64)] >> (id % 64) & 1);
    }
    std::int64_t low() const { return _low; }
    std::int64_t high() const { return _high; }

private:
    std::vector<std::uint64_t> _bits;
    std::int64_t _low = std::numeric_limits<std::int64_t>::max(), _high = -1;
};

}  // namespace

bool isJoinEvent(std::string_view type) {
    return type == "ADD" || type == "JOIN" || type == "ENTER" || type == "INVITE";
}

bool isLeaveEvent(std::string_view type) {
    return type == "EXIT" || type == "LEAVE" || type == "REMOVE" || type == "KICK";
}

std::vector<std::pair<std::string, std::int64_t>> byCountDescending(const std::map<std::string, std::int64_t>& counts) {
    std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return sorted;  // stable over the map's order: ties stay by name
}

namespace {

/// The local days the statistics list: the query's bounds, else the first and last archived message in range.
struct DayGrid {
    std::int64_t firstDay = 0, dayCount = 0;

    DayGrid(const StatsQuery& query, const RangeBounds& bounds) {
        std::optional<std::int64_t> first = query.since, last;
        if (query.until) last = *query.until - 1;
        if (bounds.first) {
            if (!first) first = bounds.first;
            if (!last) last = bounds.last;
        }
        if (!first || !last || *first > *last) return;
        const auto& zone = query.zone;
        firstDay = zone.localDayNumber(*first);
        dayCount = zone.localDayNumber(*last) - firstDay + 1;
        if (dayCount > kMaxDays && bounds.first) {  // absurd bounds: cover the messages only
            firstDay = zone.localDayNumber(*bounds.first);
            dayCount = zone.localDayNumber(*bounds.last) - firstDay + 1;
        }
        if (dayCount > kMaxDays || dayCount < 0) dayCount = 0;
    }
    std::int64_t index(std::int64_t day) const {
        const auto i = day - firstDay;
        return i >= 0 && i < dayCount ? i : -1;
    }
};

constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();

/// Replies in range and their targets' timestamps, filled in as the message scan meets the targets.
struct ReplyIndex {
    explicit ReplyIndex(std::int64_t maxKey) : targets(maxKey) {}
    std::vector<std::pair<std::int64_t, std::int64_t>> replies;      // reply timestamp, target key
    std::vector<std::pair<std::int64_t, std::int64_t>> targetTimes;  // target key -> timestamp, sorted by key
    IdSet targets;                                                   // the same keys: a cheap first test

    std::int64_t& targetTime(std::int64_t key) {
        return std::lower_bound(targetTimes.begin(), targetTimes.end(), std::pair{key, kUnknown})->second;
    }
};

ReplyIndex collectReplies(StatisticsSource& source, const StatsRange& range, std::int64_t maxKey) {
    ReplyIndex index(maxKey);
    source.forEachReply(range, [&](std::int64_t timestamp, std::int64_t target) {
        index.replies.emplace_back(timestamp, target);
        index.targetTimes.emplace_back(target, kUnknown);
        index.targets.insert(target);
    });
    auto& times = index.targetTimes;
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return index;
}

struct SenderAcc {
    std::int64_t messages = 0, first = 0, last = 0;
};
using SenderMap = std::unordered_map<std::string, SenderAcc, StringHash, std::equal_to<>>;

/// Folds the non-service messages in time order: per day, per hour of the week, per sender and conversations.
class MessageScan {
public:
    MessageScan(ChatStatistics& stats, const TimeZone& zone, const DayGrid& days, ReplyIndex& replies, IdSet& inRange)
        : _stats(stats),
          _slots(zone),
          _days(days),
          _replies(replies),
          _inRange(inRange),
          _perDay(static_cast<std::size_t>(days.dayCount), 0) {}

    void add(std::int64_t ts, std::string_view sender, std::int64_t key) {
        ++_stats.messages;
        _inRange.insert(key);
        if (_replies.targets.contains(key)) _replies.targetTime(key) = ts;
        const auto& slot = _slots.at(ts);
        if (const auto i = _days.index(slot.day); i >= 0) ++_perDay[static_cast<std::size_t>(i)];
        ++_stats.byHourOfWeek[static_cast<std::size_t>(slot.weekday)][static_cast<std::size_t>(slot.hour)];
        countSender(ts, sender);
        countConversation(ts);
    }

    /// Writes the conversation medians and the days into the statistics; returns the senders met.
    SenderMap finish() {
        if (_length > 0) _lengths.push_back(_length);
        _stats.conversations = static_cast<std::int64_t>(_lengths.size());
        _stats.medianConversationLength = median(_lengths);
        _stats.medianGapSeconds = median(_gaps) / 1000.0;
        for (std::int64_t i = 0; i < _days.dayCount; ++i)
            _stats.byDay.push_back({isoDate(civilFromDays(_days.firstDay + i)), _perDay[static_cast<std::size_t>(i)]});
        return std::move(_senders);
    }

private:
    void countSender(std::int64_t ts, std::string_view sender) {
        if (!_current || sender != _currentId) {
            auto it = _senders.find(sender);
            if (it == _senders.end()) it = _senders.emplace(std::string(sender), SenderAcc{0, ts, ts}).first;
            _current = &it->second;
            _currentId.assign(sender);
        }
        ++_current->messages;
        _current->last = ts;
    }
    void countConversation(std::int64_t ts) {
        if (_length > 0 && ts - _previous <= kConversationGapMs) {
            _gaps.push_back(static_cast<std::uint32_t>(ts - _previous));
            ++_length;
        } else {
            if (_length > 0) _lengths.push_back(_length);
            _length = 1;
        }
        _previous = ts;
    }

    ChatStatistics& _stats;
    SlotMapper _slots;
    const DayGrid& _days;
    ReplyIndex& _replies;
    IdSet& _inRange;
    std::vector<std::int64_t> _perDay;
    SenderMap _senders;
    SenderAcc* _current = nullptr;
    std::string _currentId;
    std::int64_t _previous = 0;
    std::uint32_t _length = 0;
    std::vector<std::uint32_t> _lengths, _gaps;
};

/// Senders with their latest names, by messages descending, then user id.
void nameSenders(MessageReader& reader, SenderMap senders, ChatStatistics& stats) {
    stats.bySender.reserve(senders.size());
    for (auto& [id, acc] : senders) {
        SenderStats s;
        s.userId = id;
        s.name = reader.latestSenderName(id).value_or("");
        s.messages = acc.messages;
        s.first = acc.first;
        s.last = acc.last;
        stats.bySender.push_back(std::move(s));
    }
    std::sort(stats.bySender.begin(), stats.bySender.end(), [](const SenderStats& a, const SenderStats& b) {
        return a.messages != b.messages ? a.messages > b.messages : a.userId < b.userId;
    });
    stats.senders = static_cast<std::int64_t>(stats.bySender.size());
}

/// Service messages: their keys (for attachments), events by type, joins and leaves per local day.
void countServiceEvents(StatisticsSource& source, const StatsRange& range, const TimeZone& zone, IdSet& inRange,
                        ChatStatistics& stats) {
    source.forEachServiceMessage(range, [&](std::int64_t key) { inRange.insert(key); });
    SlotMapper slots(zone);
    std::map<std::int64_t, MemberDay> members;
    source.forEachServiceQuarter(
        range, [&](std::int64_t quarter, std::optional<std::string_view> eventType, std::int64_t count) {
            stats.serviceEvents += count;
            if (!eventType) return;
            const std::string type(*eventType);
            stats.events[type] += count;
            const bool join = isJoinEvent(type), leave = isLeaveEvent(type);
            if (!join && !leave) return;
            auto& day = members[slots.at(quarter).day];
            (join ? day.joined : day.left) += count;
        });
    for (auto& [day, counts] : members) {
        counts.date = isoDate(civilFromDays(day));
        stats.members.push_back(std::move(counts));
    }
}

/// Attachments by type of the messages in `inRange`.
void countAttachments(StatisticsSource& source, const IdSet& inRange, ChatStatistics& stats) {
    if (inRange.high() < 0) return;
    std::vector<std::pair<std::string, std::int64_t>> counts;  // few types: a linear search beats hashing
    source.forEachAttachment(inRange.low(), inRange.high(), [&](std::int64_t key, std::string_view type) {
        if (!inRange.contains(key)) return;
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == type; });
        if (it == counts.end()) it = counts.insert(counts.end(), {std::string(type), 0});
        ++it->second;
        ++stats.attachments;
    });
    for (auto& [type, count] : counts) stats.attachmentsByType[type] += count;
}

/// Observed edits and deletions of the messages in range, per local day of the observation and per sender.
void countChanges(StatisticsSource& source, const StatsRange& range, const TimeZone& zone, ChatStatistics& stats) {
    std::map<std::int64_t, ChangeCount> byDay;
    std::map<std::string, ChangeCount, std::less<>> bySender;
    source.forEachChange(range, [&](std::int64_t at, std::string_view sender, ChangeKind kind) {
        const bool edit = kind == ChangeKind::Edit;
        (edit ? stats.edits : stats.deletions) += 1;
        (edit ? byDay[zone.localDayNumber(at)].edits : byDay[zone.localDayNumber(at)].deletions) += 1;
        auto it = bySender.find(sender);
        if (it == bySender.end()) it = bySender.emplace(std::string(sender), ChangeCount{std::string(sender)}).first;
        (edit ? it->second.edits : it->second.deletions) += 1;
    });
    for (auto& [day, counts] : byDay) {
        counts.key = isoDate(civilFromDays(day));
        stats.changesByDay.push_back(std::move(counts));
    }
    for (auto& [sender, counts] : bySender) stats.changesBySender.push_back(std::move(counts));
}

/// Reply delays: targets the scan did not meet (outside the range, or service messages) are looked up.
void measureReplies(StatisticsSource& source, ReplyIndex& index, ChatStatistics& stats) {
    for (auto& [key, ts] : index.targetTimes) {
        if (ts != kUnknown) continue;
        if (const auto found = source.timestampOfKey(key)) ts = *found;
    }
    std::vector<std::int64_t> delays;
    delays.reserve(index.replies.size());
    for (const auto& [replyTs, target] : index.replies) delays.push_back(replyTs - index.targetTime(target));
    stats.replies = static_cast<std::int64_t>(delays.size());
    stats.medianResponseSeconds = median(delays) / 1000.0;
}

/// The message keys of the bot's posted digests the ledger has not linked to their archived message yet (a digest
/// the `summary` command posted, archived by a later `sync`; `serve` links them after each sync), found as the ledger
/// would find them: by their exact text, among the messages that may be their attempt's.
std::vector<std::int64_t> untaggedDigestKeys(Archive& archive, const std::string& chatId) {
    return archive.untaggedDigestMessages(chatId, kLegacyDigestClockSlackMs);
}

/// The statistics of `query`, leaving out the messages with a key in `skipped` (sorted) as well.
ChatStatistics compute(ReadSnapshot& snapshot, const StatsQuery& query, const std::vector<std::int64_t>& skipped) {
    ChatStatistics stats;
    stats.chatId = query.chatId;
    stats.since = query.since;
    stats.until = query.until;
    stats.timezone = query.zone.name();
    if (query.since && query.until && *query.since >= *query.until) return stats;

    const StatsRange range{query.chatId, query.since, query.until, !query.includeDigests};
    const RangeBounds bounds = snapshot.rangeBounds(range);
    const DayGrid days(query, bounds);
    IdSet inRange(bounds.maxKey);
    // Replies first: their targets' timestamps are then picked up by the message scan.
    ReplyIndex replies = collectReplies(snapshot, range, bounds.maxKey);
    SenderMap senders;
    {
        MessageScan scan(stats, query.zone, days, replies, inRange);
        snapshot.forEachMessage(range, [&](std::int64_t ts, std::string_view sender, std::int64_t key) {
            if (!std::binary_search(skipped.begin(), skipped.end(), key)) scan.add(ts, sender, key);
        });
        senders = scan.finish();
    }
    nameSenders(snapshot, std::move(senders), stats);
    countServiceEvents(snapshot, range, query.zone, inRange, stats);
    countAttachments(snapshot, inRange, stats);
    measureReplies(snapshot, replies, stats);
    countChanges(snapshot, range, query.zone, stats);
    return stats;
}

}  // namespace

ChatStatistics computeStatistics(ReadSnapshot& snapshot, const StatsQuery& query) {
    return compute(snapshot, query, {});
}

ChatStatistics computeStatistics(Archive& archive, const StatsQuery& query) {
    const auto untagged =
        query.includeDigests ? std::vector<std::int64_t>{} : untaggedDigestKeys(archive, query.chatId);
    return compute(*archive.snapshot(), query, untagged);
}

}  // namespace okarchive
