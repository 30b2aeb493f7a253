#include "stats/ChatStatistics.h"

#include <limits>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <fmt/format.h>

#include "domain/Errors.h"
#include "store/Archive.h"

namespace okarchive {
namespace {

constexpr std::int64_t kBucketMs = 15 * 60 * 1000;  // real zones' offsets and transitions are whole quarter hours
constexpr std::int64_t kDayMs = 86400000;
constexpr std::int64_t kHourMs = 3600000;
constexpr std::int64_t kMaxDays = 100000;  // by_day never spans more (about 270 years)

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
std::int64_t floorMod(std::int64_t a, std::int64_t b) { return a - floorDiv(a, b) * b; }

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
            _slot.day = floorDiv(local, kDayMs);
            _slot.weekday = static_cast<int>(floorMod(_slot.day + 3, 7));  // 1970-01-01 was a Thursday
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

/// A prepared statement over the raw C API: the hot loops read a million rows, and SQLiteCpp's Column objects (one
/// shared_ptr copy each) would cost more than SQLite itself. Errors throw SQLite::Exception.
class Query {
public:
    Query(sqlite3* db, const char* sql) : _db(db) {
        if (const int rc = sqlite3_prepare_v2(db, sql, -1, &_statement, nullptr); rc != SQLITE_OK)
            throw SQLite::Exception(db, rc);
    }
    ~Query() { sqlite3_finalize(_statement); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    /// ?1 chat id, ?2 since (inclusive), ?3 until (exclusive).
    Query& bindRange(const StatsQuery& query) {
        sqlite3_bind_text(_statement, 1, query.chatId.data(), static_cast<int>(query.chatId.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(_statement, 2, query.since.value_or(std::numeric_limits<std::int64_t>::min()));
        sqlite3_bind_int64(_statement, 3, query.until.value_or(std::numeric_limits<std::int64_t>::max()));
        return *this;
    }
    Query& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(_statement, index, value);
        return *this;
    }
    Query& bind(int index, std::string_view value) {
        sqlite3_bind_text(_statement, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(_statement);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw SQLite::Exception(_db, rc);
    }
    void reset() { sqlite3_reset(_statement); }
    bool isNull(int column) const { return sqlite3_column_type(_statement, column) == SQLITE_NULL; }
    std::int64_t integer(int column) const { return sqlite3_column_int64(_statement, column); }
    std::string_view text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(_statement, column));
        return data ? std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(_statement, column)))
                    : std::string_view();
    }

private:
    sqlite3* _db;
    sqlite3_stmt* _statement = nullptr;
};

/// Row ids of the messages in range, as a bitmap (max(id)/8 bytes: 1.2 MiB for ten million archived messages).
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

std::string dateOfDayNumber(std::int64_t dayNumber) {
    // Howard Hinnant's civil_from_days.
    const std::int64_t z = dayNumber + 719468;
    const std::int64_t era = floorDiv(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2);
    return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

ChatStatistics computeStatistics(Archive& archive, const StatsQuery& query) {
    ChatStatistics stats;
    stats.chatId = query.chatId;
    stats.since = query.since;
    stats.until = query.until;
    stats.timezone = query.zone.name();
    if (query.since && query.until && *query.since >= *query.until) return stats;

    auto& connection = archive.database();
    sqlite3* db = connection.getHandle();
    const auto& zone = query.zone;
    try {
        SQLite::Transaction snapshot(connection);  // one read snapshot; rolled back (nothing was written) at scope exit

        // The range's days: the query's bounds, else the first and last archived message in range.
        Query bounds(db,
                     "SELECT (SELECT min(timestamp) FROM messages WHERE chat_id = ?1 AND timestamp >= ?2 "
                     "AND timestamp < ?3), (SELECT max(timestamp) FROM messages WHERE chat_id = ?1 AND "
                     "timestamp >= ?2 AND timestamp < ?3), (SELECT max(id) FROM messages)");
        bounds.bindRange(query).step();
        const bool any = !bounds.isNull(0);
        std::optional<std::int64_t> first = query.since, last;
        if (query.until) last = *query.until - 1;
        if (any) {
            if (!first) first = bounds.integer(0);
            if (!last) last = bounds.integer(1);
        }
        std::int64_t firstDay = 0, dayCount = 0;
        if (first && last && *first <= *last) {
            firstDay = zone.localDayNumber(*first);
            dayCount = zone.localDayNumber(*last) - firstDay + 1;
            if (dayCount > kMaxDays && any) {  // absurd bounds: cover the messages only
                firstDay = zone.localDayNumber(bounds.integer(0));
                dayCount = zone.localDayNumber(bounds.integer(1)) - firstDay + 1;
            }
            if (dayCount > kMaxDays || dayCount < 0) dayCount = 0;
        }
        std::vector<std::int64_t> perDay(static_cast<std::size_t>(dayCount), 0);
        auto dayIndex = [&](std::int64_t day) -> std::int64_t {
            const auto i = day - firstDay;
            return i >= 0 && i < dayCount ? i : -1;
        };
        IdSet inRange(bounds.integer(2));

        // Replies first (partial index messages_replies, targets through the (chat_id, mid) index without reading
        // rows): their targets' timestamps are then picked up by the message scan below.
        std::vector<std::pair<std::int64_t, std::int64_t>> replies;      // reply timestamp, target row id
        std::vector<std::pair<std::int64_t, std::int64_t>> targetTimes;  // target row id -> timestamp, sorted by id
        IdSet targets(bounds.integer(2));                                // the same ids: a cheap first test
        constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();
        {
            Query q(db,
                    "SELECT r.timestamp, t.id FROM messages r JOIN messages t ON t.chat_id = r.chat_id AND "
                    "t.mid = r.reply_to WHERE r.chat_id = ?1 AND r.reply_to IS NOT NULL AND r.timestamp >= ?2 "
                    "AND r.timestamp < ?3");
            q.bindRange(query);
            while (q.step()) {
                replies.emplace_back(q.integer(0), q.integer(1));
                targetTimes.emplace_back(q.integer(1), kUnknown);
                targets.insert(q.integer(1));
            }
            std::sort(targetTimes.begin(), targetTimes.end());
            targetTimes.erase(std::unique(targetTimes.begin(), targetTimes.end()), targetTimes.end());
        }
        auto targetTime = [&](std::int64_t id) -> std::int64_t& {
            return std::lower_bound(targetTimes.begin(), targetTimes.end(), std::pair{id, kUnknown})->second;
        };

        // Non-service messages in time order, read from the covering index messages_by_kind_time: per day, per hour
        // of the week, per sender and conversations, in one pass.
        struct SenderAcc {
            std::int64_t messages = 0, first = 0, last = 0;
        };
        std::unordered_map<std::string, SenderAcc, StringHash, std::equal_to<>> senders;
        std::vector<std::uint32_t> conversationLengths, gaps;
        {
            Query scan(db,
                       "SELECT timestamp, sender_id, id FROM messages WHERE chat_id = ?1 AND kind = 'message' "
                       "AND timestamp >= ?2 AND timestamp < ?3 ORDER BY timestamp");
            scan.bindRange(query);
            SlotMapper slots(zone);
            SenderAcc* current = nullptr;
            std::string currentId;
            std::int64_t previous = 0;
            std::uint32_t length = 0;
            while (scan.step()) {
                const std::int64_t ts = scan.integer(0);
                const auto sender = scan.text(1);
                const std::int64_t id = scan.integer(2);
                ++stats.messages;
                inRange.insert(id);
                if (targets.contains(id)) targetTime(id) = ts;
                const auto& slot = slots.at(ts);
                if (const auto i = dayIndex(slot.day); i >= 0) ++perDay[static_cast<std::size_t>(i)];
                ++stats.byHourOfWeek[static_cast<std::size_t>(slot.weekday)][static_cast<std::size_t>(slot.hour)];

                if (!current || sender != currentId) {
                    auto it = senders.find(sender);
                    if (it == senders.end()) it = senders.emplace(std::string(sender), SenderAcc{0, ts, ts}).first;
                    current = &it->second;
                    currentId.assign(sender);
                }
                ++current->messages;
                current->last = ts;

                if (length > 0 && ts - previous <= kConversationGapMs) {
                    gaps.push_back(static_cast<std::uint32_t>(ts - previous));
                    ++length;
                } else {
                    if (length > 0) conversationLengths.push_back(length);
                    length = 1;
                }
                previous = ts;
            }
            if (length > 0) conversationLengths.push_back(length);
        }
        stats.conversations = static_cast<std::int64_t>(conversationLengths.size());
        stats.medianConversationLength = median(conversationLengths);
        stats.medianGapSeconds = median(gaps) / 1000.0;
        std::vector<std::uint32_t>().swap(gaps);
        std::vector<std::uint32_t>().swap(conversationLengths);

        for (std::int64_t i = 0; i < dayCount; ++i)
            stats.byDay.push_back({dateOfDayNumber(firstDay + i), perDay[static_cast<std::size_t>(i)]});

        // Senders with their latest names.
        {
            Query name(db, "SELECT name FROM senders WHERE user_id = ?1 ORDER BY last_seen_ts DESC, name LIMIT 1");
            stats.bySender.reserve(senders.size());
            for (auto& [id, acc] : senders) {
                SenderStats s;
                s.userId = id;
                name.reset();
                name.bind(1, std::string_view(id));
                if (name.step()) s.name = std::string(name.text(0));
                s.messages = acc.messages;
                s.first = acc.first;
                s.last = acc.last;
                stats.bySender.push_back(std::move(s));
            }
            senders.clear();
            std::sort(stats.bySender.begin(), stats.bySender.end(), [](const SenderStats& a, const SenderStats& b) {
                return a.messages != b.messages ? a.messages > b.messages : a.userId < b.userId;
            });
            stats.senders = static_cast<std::int64_t>(stats.bySender.size());
        }

        // Service messages: their ids (for attachments), events by type, joins/leaves per local day.
        {
            Query ids(db,
                      "SELECT id FROM messages WHERE chat_id = ?1 AND kind = 'service' AND timestamp >= ?2 "
                      "AND timestamp < ?3");
            ids.bindRange(query);
            while (ids.step()) inRange.insert(ids.integer(0));

            Query events(db,
                         "SELECT (m.timestamp - ((m.timestamp % 900000) + 900000) % 900000) AS quarter, e.type, "
                         "count(*) FROM messages m LEFT JOIN service_events e ON e.message_id = m.id "
                         "WHERE m.chat_id = ?1 AND m.kind = 'service' AND m.timestamp >= ?2 AND m.timestamp < ?3 "
                         "GROUP BY quarter, e.type ORDER BY quarter");
            events.bindRange(query);
            SlotMapper slots(zone);
            std::map<std::int64_t, MemberDay> members;
            while (events.step()) {
                const std::int64_t quarter = events.integer(0);
                const std::int64_t count = events.integer(2);
                stats.serviceEvents += count;
                if (events.isNull(1)) continue;
                const std::string type(events.text(1));
                stats.events[type] += count;
                const bool join = isJoinEvent(type), leave = isLeaveEvent(type);
                if (!join && !leave) continue;
                auto& day = members[slots.at(quarter).day];
                (join ? day.joined : day.left) += count;
            }
            for (auto& [day, counts] : members) {
                counts.date = dateOfDayNumber(day);
                stats.members.push_back(std::move(counts));
            }
        }

        // Attachments by type: the (message_id, type) index between the lowest and highest id in range, joined with
        // the id set in memory (a merge join SQLite cannot do: it would probe the attachments once per message).
        if (inRange.high() >= 0) {
            Query q(db, "SELECT message_id, type FROM attachments WHERE message_id BETWEEN ?1 AND ?2");
            q.bind(1, inRange.low()).bind(2, inRange.high());
            std::vector<std::pair<std::string, std::int64_t>> counts;  // few types: a linear search beats hashing
            while (q.step()) {
                if (!inRange.contains(q.integer(0))) continue;
                const auto type = q.text(1);
                auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == type; });
                if (it == counts.end()) it = counts.insert(counts.end(), {std::string(type), 0});
                ++it->second;
                ++stats.attachments;
            }
            for (auto& [type, count] : counts) stats.attachmentsByType[type] += count;
        }

        // Reply delays: targets the scan did not meet (outside the range, or service messages) are looked up.
        {
            Query target(db, "SELECT timestamp FROM messages WHERE id = ?1");
            for (auto& [id, ts] : targetTimes) {
                if (ts != kUnknown) continue;
                target.reset();
                target.bind(1, id);
                if (target.step()) ts = target.integer(0);
            }
            std::vector<std::int64_t> delays;
            delays.reserve(replies.size());
            for (const auto& [replyTs, targetId] : replies) delays.push_back(replyTs - targetTime(targetId));
            stats.replies = static_cast<std::int64_t>(delays.size());
            stats.medianResponseSeconds = median(delays) / 1000.0;
        }
    } catch (const SQLite::Exception& e) {
        throw StorageError(
            fmt::format("computing the statistics of {} in {} failed: {}", query.chatId, archive.path(), e.what()));
    }
    return stats;
}

}  // namespace okarchive
