#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "stats/ChatStatistics.h"
#include "store/Archive.h"
#include "support/ManualEnv.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::test::addAttachment;
using okarchive::test::makeMessage;
using okarchive::test::makeServiceMessage;
using okarchive::test::TempDir;

namespace {

const std::string kChat = "chat:Cstats";
constexpr std::int64_t kMinute = 60000;
constexpr std::int64_t kHalfHour = 30 * kMinute;

/// Plain, slow, independent computation of everything computeStatistics reports, message by message.
struct Expected {
    std::int64_t messages = 0, serviceEvents = 0, attachments = 0;
    std::map<std::string, std::int64_t> byDay;  // local date -> messages (non-zero days only)
    std::array<std::array<std::int64_t, 24>, 7> byHourOfWeek{};
    std::map<std::string, std::tuple<std::int64_t, std::int64_t, std::int64_t>> bySender;  // id -> count, first, last
    std::map<std::string, std::int64_t> events, attachmentsByType;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> members;
    std::int64_t conversations = 0, replies = 0;
    double medianLength = 0, medianGap = 0, medianResponse = 0;
};

double slowMedian(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Expected expect(const std::vector<Message>& all, const TimeZone& zone, std::optional<std::int64_t> since,
                std::optional<std::int64_t> until) {
    std::vector<Message> in;
    for (const auto& m : all)
        if ((!since || m.timestamp >= *since) && (!until || m.timestamp < *until)) in.push_back(m);
    std::stable_sort(in.begin(), in.end(), [](auto& a, auto& b) { return a.timestamp < b.timestamp; });
    std::map<std::string, std::int64_t> timeOfMid;
    for (const auto& m : all) timeOfMid[m.mid] = m.timestamp;

    Expected e;
    std::vector<double> lengths, gaps, responses;
    std::int64_t runLength = 0, previous = 0;
    for (const auto& m : in) {
        e.attachments += static_cast<std::int64_t>(m.attachments.size());
        for (const auto& a : m.attachments) ++e.attachmentsByType[a.type];
        if (m.replyTo && timeOfMid.count(*m.replyTo)) {
            ++e.replies;
            responses.push_back(static_cast<double>(m.timestamp - timeOfMid[*m.replyTo]) / 1000.0);
        }
        if (m.service) {
            ++e.serviceEvents;
            ++e.events[m.service->type];
            const auto& t = m.service->type;
            if (t == "ADD" || t == "JOIN" || t == "ENTER" || t == "INVITE")
                ++e.members[zone.localDate(m.timestamp)].first;
            if (t == "EXIT" || t == "LEAVE" || t == "REMOVE" || t == "KICK")
                ++e.members[zone.localDate(m.timestamp)].second;
            continue;
        }
        ++e.messages;
        ++e.byDay[zone.localDate(m.timestamp)];
        const int mondayFirst = zone.localWeekday(m.timestamp);
        const int hour = std::stoi(zone.localTime(m.timestamp).substr(0, 2));
        ++e.byHourOfWeek[static_cast<std::size_t>(mondayFirst)][static_cast<std::size_t>(hour)];
        auto [it, fresh] = e.bySender.try_emplace(m.senderId, 0, m.timestamp, m.timestamp);
        ++std::get<0>(it->second);
        std::get<2>(it->second) = m.timestamp;
        if (runLength > 0 && m.timestamp - previous <= kHalfHour) {
            gaps.push_back(static_cast<double>(m.timestamp - previous) / 1000.0);
            ++runLength;
        } else {
            if (runLength > 0) lengths.push_back(static_cast<double>(runLength));
            runLength = 1;
        }
        previous = m.timestamp;
    }
    if (runLength > 0) lengths.push_back(static_cast<double>(runLength));
    e.conversations = static_cast<std::int64_t>(lengths.size());
    e.medianLength = slowMedian(lengths);
    e.medianGap = slowMedian(gaps);
    e.medianResponse = slowMedian(responses);
    return e;
}

void checkAgainst(const ChatStatistics& s, const Expected& e) {
    CHECK(s.messages == e.messages);
    CHECK(s.serviceEvents == e.serviceEvents);
    CHECK(s.attachments == e.attachments);
    CHECK(s.attachmentsByType == e.attachmentsByType);
    CHECK(s.events == e.events);
    std::int64_t dayTotal = 0;
    for (const auto& d : s.byDay) {
        dayTotal += d.messages;
        const auto it = e.byDay.find(d.date);
        INFO(d.date);
        CHECK(d.messages == (it == e.byDay.end() ? 0 : it->second));
    }
    CHECK(dayTotal == e.messages);
    for (std::size_t i = 1; i < s.byDay.size(); ++i) CHECK(s.byDay[i - 1].date < s.byDay[i].date);
    CHECK(s.byHourOfWeek == e.byHourOfWeek);
    REQUIRE(s.bySender.size() == e.bySender.size());
    CHECK(s.senders == static_cast<std::int64_t>(e.bySender.size()));
    for (std::size_t i = 0; i < s.bySender.size(); ++i) {
        const auto& got = s.bySender[i];
        REQUIRE(e.bySender.count(got.userId));
        const auto& [count, first, last] = e.bySender.at(got.userId);
        CHECK(got.messages == count);
        CHECK(got.first == first);
        CHECK(got.last == last);
        if (i > 0) {
            const auto& before = s.bySender[i - 1];
            CHECK((before.messages > got.messages || (before.messages == got.messages && before.userId < got.userId)));
        }
    }
    REQUIRE(s.members.size() == e.members.size());
    for (const auto& m : s.members) {
        INFO(m.date);
        REQUIRE(e.members.count(m.date));
        CHECK(m.joined == e.members.at(m.date).first);
        CHECK(m.left == e.members.at(m.date).second);
    }
    CHECK(s.conversations == e.conversations);
    CHECK(s.medianConversationLength == Approx(e.medianLength));
    CHECK(s.medianGapSeconds == Approx(e.medianGap));
    CHECK(s.replies == e.replies);
    CHECK(s.medianResponseSeconds == Approx(e.medianResponse));
}

/// A generated chat: 40 days of bursts and silences (gaps of exactly 30:00 and 30:00.001 among them), five senders
/// (one renamed), service events of every kind, attachments, replies to archived and to unknown messages.
std::vector<Message> generate(std::int64_t start, unsigned seed, std::size_t count) {
    std::mt19937_64 rng(seed);
    const std::vector<std::pair<std::string, std::string>> users = {
        {"user:1", "Ann"}, {"user:2", "Бо <b>"}, {"user:3", "Cy"}, {"user:4", "Dee"}, {"user:5", "Eve"}};
    const std::vector<std::string> serviceTypes = {"ADD", "JOIN", "EXIT", "REMOVE", "TITLE", "ZZZ_FUTURE"};
    const std::vector<std::string> attachmentTypes = {"IMAGE", "VIDEO", "FILE", "STICKER"};
    std::vector<Message> out;
    std::int64_t ts = start;
    for (std::size_t i = 0; i < count; ++i) {
        switch (rng() % 10) {
            case 0: ts += kHalfHour; break;      // exactly 30:00: same conversation
            case 1: ts += kHalfHour + 1; break;  // 30:00.001: a new one
            case 2: ts += static_cast<std::int64_t>(rng() % (20 * 3600000)); break;
            case 3: break;  // same millisecond
            default: ts += static_cast<std::int64_t>(rng() % (10 * kMinute)); break;
        }
        const auto mid = "mid:" + std::to_string(i);
        const auto seq = static_cast<std::int64_t>(i);
        if (rng() % 12 == 0) {
            out.push_back(makeServiceMessage(kChat, mid, ts, seq, serviceTypes[rng() % serviceTypes.size()],
                                             std::to_string(1 + rng() % 5)));
            continue;
        }
        auto [id, name] = users[rng() % users.size()];
        if (id == "user:3" && i > count / 2) name = "Cy (renamed)";
        auto m = makeMessage(kChat, mid, ts, seq, "hi", id, name);
        if (rng() % 6 == 0) addAttachment(m, attachmentTypes[rng() % attachmentTypes.size()], "{\"n\":1}");
        if (rng() % 9 == 0) addAttachment(m, "IMAGE", "{\"n\":2}");
        if (i > 0 && rng() % 7 == 0) m.replyTo = "mid:" + std::to_string(rng() % i);
        if (rng() % 50 == 0) m.replyTo = "mid:missing";
        out.push_back(std::move(m));
    }
    return out;
}

void commit(Archive& archive, const std::vector<Message>& messages) {
    for (std::size_t i = 0; i < messages.size(); i += 97) {
        std::vector<Message> page(messages.begin() + static_cast<std::ptrdiff_t>(i),
                                  messages.begin() + static_cast<std::ptrdiff_t>(std::min(messages.size(), i + 97)));
        archive.commitPage(kChat, page, {});
    }
}

}  // namespace

TEST_CASE("statistics equal an independent computation over a generated chat, in several zones and ranges", "[stats]") {
    TempDir dir;
    const auto archiveOwned = openArchive(dir.file("a.db"));
    Archive& archive = *archiveOwned;
    const std::int64_t start = 1740787200000;  // 2025-03-01T00:00:00Z: New York's spring DST change is inside
    const auto messages = generate(start, 7, 3000);
    commit(archive, messages);
    archive.commitPage("chat:Cother", {makeMessage("chat:Cother", "mid:x", start + 5, 1)}, {});  // never counted

    for (const char* zoneName : {"UTC", "Europe/Moscow", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"}) {
        const auto zone = TimeZone::load(zoneName);
        for (auto [since, until] : std::vector<std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>>{
                 {std::nullopt, std::nullopt},
                 {start + 5 * 86400000LL + 12345, std::nullopt},
                 {std::nullopt, start + 9 * 86400000LL},
                 {start + 86400000LL, start + 20 * 86400000LL + 1}}) {
            INFO(zoneName << " since " << (since ? *since : -1) << " until " << (until ? *until : -1));
            const auto stats = computeStatistics(archive, {kChat, since, until, zone});
            CHECK(stats.chatId == kChat);
            CHECK(stats.timezone == zoneName);
            checkAgainst(stats, expect(messages, zone, since, until));
            REQUIRE_FALSE(stats.byDay.empty());
            CHECK(stats.byDay.front().date == zone.localDate(since ? *since : messages.front().timestamp));
            CHECK(stats.byDay.back().date == zone.localDate(until ? *until - 1 : messages.back().timestamp));
        }
    }
    const auto all = computeStatistics(archive, {kChat, std::nullopt, std::nullopt, TimeZone::utc()});
    CHECK(all.messages > 2000);
    CHECK(all.conversations > 10);
    CHECK(all.replies > 100);
    const auto renamed =
        std::find_if(all.bySender.begin(), all.bySender.end(), [](auto& s) { return s.userId == "user:3"; });
    REQUIRE(renamed != all.bySender.end());
    CHECK(renamed->name == "Cy (renamed)");  // the latest name
}

TEST_CASE("a silence of exactly 30 minutes continues a conversation, one millisecond more starts a new one",
          "[stats]") {
    TempDir dir;
    const auto archiveOwned = openArchive(dir.file("a.db"));
    Archive& archive = *archiveOwned;
    const std::int64_t t = 1700000000000;
    commit(archive, {makeMessage(kChat, "mid:1", t, 1), makeMessage(kChat, "mid:2", t + kHalfHour, 2),
                     makeMessage(kChat, "mid:3", t + 2 * kHalfHour + 1, 3),
                     makeMessage(kChat, "mid:4", t + 2 * kHalfHour + 1 + 10000, 4),
                     makeMessage(kChat, "mid:5", t + 2 * kHalfHour + 1 + 10000 + 20000, 5),
                     makeServiceMessage(kChat, "mid:6", t + 10 * kHalfHour, 6, "JOIN", "9"),
                     makeMessage(kChat, "mid:7", t + 20 * kHalfHour, 7)});
    const auto s = computeStatistics(archive, {kChat});
    CHECK(s.messages == 6);
    CHECK(s.serviceEvents == 1);
    CHECK(s.conversations == 3);             // [1 2] [3 4 5] [7]: the service message is not a message
    CHECK(s.medianConversationLength == 2);  // lengths 2, 3, 1
    CHECK(s.medianGapSeconds == 20);         // gaps 1800, 10, 20
    CHECK(s.events == std::map<std::string, std::int64_t>{{"JOIN", 1}});
    REQUIRE(s.members.size() == 1);
    CHECK(s.members[0].joined == 1);
    CHECK(s.members[0].left == 0);
}

TEST_CASE("days and hours follow DST: New York on 2025-03-09 and 2025-11-02, Moscow's 2014 change", "[stats]") {
    TempDir dir;
    const auto archiveOwned = openArchive(dir.file("a.db"));
    Archive& archive = *archiveOwned;
    const std::int64_t h = 3600000;
    const std::int64_t spring = 1741503600000;  // 2025-03-09T07:00:00Z = 03:00 EDT (02:00 EST skipped)
    const std::int64_t fall = 1762063200000;    // 2025-11-02T06:00:00Z = 01:00 EST (second 01:00)
    commit(archive, {
                        makeMessage(kChat, "mid:a", spring - 1, 1),           // 01:59:59.999 EST, Sunday
                        makeMessage(kChat, "mid:b", spring, 2),               // 03:00 EDT
                        makeMessage(kChat, "mid:c", spring + 21 * h - 1, 3),  // 23:59:59.999 EDT, still March 9
                        makeMessage(kChat, "mid:d", spring + 21 * h, 4),      // 00:00 March 10, Monday
                        makeMessage(kChat, "mid:e", fall - h + 1800000, 5),   // 01:30 EDT, Sunday Nov 2
                        makeMessage(kChat, "mid:f", fall + 1800000, 6),       // 01:30 EST, the same local hour
                        makeMessage(kChat, "mid:g", fall + 23 * h - 1, 7),    // 23:59:59.999 EST, Nov 2
                        makeMessage(kChat, "mid:h", fall + 23 * h, 8),        // 00:00 Nov 3
                    });
    const auto ny = TimeZone::load("America/New_York");
    const auto s = computeStatistics(archive, {kChat, std::nullopt, std::nullopt, ny});
    const int sunday = 6, monday = 0;
    CHECK(s.byHourOfWeek[sunday][1] == 3);  // a, e, f
    CHECK(s.byHourOfWeek[sunday][2] == 0);  // skipped hour
    CHECK(s.byHourOfWeek[sunday][3] == 1);
    CHECK(s.byHourOfWeek[sunday][23] == 2);
    CHECK(s.byHourOfWeek[monday][0] == 2);
    auto day = [&](const std::string& date) {
        for (const auto& d : s.byDay)
            if (d.date == date) return d.messages;
        FAIL("no day " << date);
        return std::int64_t{-1};
    };
    CHECK(s.byDay.front().date == "2025-03-09");
    CHECK(s.byDay.back().date == "2025-11-03");
    CHECK(s.byDay.size() == 240);  // every day, zeros included
    CHECK(day("2025-03-09") == 3);
    CHECK(day("2025-03-10") == 1);
    CHECK(day("2025-03-11") == 0);
    CHECK(day("2025-11-02") == 3);
    CHECK(day("2025-11-03") == 1);

    // Moscow went from +04 to +03 at 2014-10-26T02:00 local (2014-10-25T22:00Z): 01:00-01:59 happened twice.
    TempDir dir2;
    const auto moscowArchiveOwned = openArchive(dir2.file("m.db"));
    Archive& moscowArchive = *moscowArchiveOwned;
    const std::int64_t change = 1414274400000;  // 2014-10-25T22:00:00Z
    moscowArchive.commitPage(kChat,
                             {makeMessage(kChat, "mid:1", change - 1, 1),       // 01:59:59.999 +04, Sunday Oct 26
                              makeMessage(kChat, "mid:2", change, 2),           // 01:00 +03
                              makeMessage(kChat, "mid:3", change - 2 * h, 3)},  // 23:59:59 +04... 00:00 +04 Oct 26
                             {});
    const auto msk =
        computeStatistics(moscowArchive, {kChat, std::nullopt, std::nullopt, TimeZone::load("Europe/Moscow")});
    CHECK(msk.byHourOfWeek[sunday][1] == 2);
    CHECK(msk.byHourOfWeek[sunday][0] == 1);
    REQUIRE(msk.byDay.size() == 1);
    CHECK(msk.byDay[0].date == "2014-10-26");
    CHECK(msk.byDay[0].messages == 3);
}

TEST_CASE("an empty range: every day with zero, no senders, medians 0", "[stats]") {
    TempDir dir;
    const auto archiveOwned = openArchive(dir.file("a.db"));
    Archive& archive = *archiveOwned;
    const std::int64_t t = 1700000000000;  // 2023-11-14T22:13:20Z
    commit(archive, {makeMessage(kChat, "mid:1", t, 1)});
    const auto moscow = TimeZone::load("Europe/Moscow");
    const std::int64_t since = t + 86400000LL, until = t + 4 * 86400000LL;
    const auto s = computeStatistics(archive, {kChat, since, until, moscow});
    CHECK(s.messages == 0);
    CHECK(s.senders == 0);
    CHECK(s.bySender.empty());
    CHECK(s.conversations == 0);
    CHECK(s.medianConversationLength == 0);
    CHECK(s.medianGapSeconds == 0);
    CHECK(s.replies == 0);
    CHECK(s.events.empty());
    REQUIRE(s.byDay.size() == 4);  // 2023-11-16 01:13 MSK .. 2023-11-19 01:13 MSK
    CHECK(s.byDay.front().date == "2023-11-16");
    CHECK(s.byDay.back().date == "2023-11-19");
    for (const auto& d : s.byDay) CHECK(d.messages == 0);

    const auto none = computeStatistics(archive, {"chat:Cnothing"});
    CHECK(none.messages == 0);
    CHECK(none.byDay.empty());
}

TEST_CASE("medians and dates", "[stats]") {
    std::vector<int> odd{5, 1, 3};
    CHECK(median(odd) == 3);
    std::vector<int> even{4, 1, 3, 2};
    CHECK(median(even) == 2.5);
    std::vector<int> none;
    CHECK(median(none) == 0);
    CHECK(isJoinEvent("ADD"));
    CHECK(isLeaveEvent("EXIT"));
    CHECK_FALSE(isJoinEvent("TITLE"));
    CHECK_FALSE(isLeaveEvent("exit"));
}

TEST_CASE("the bot's own digests are no chat activity unless asked for: senders, counts, days, replies", "[stats]") {
    TempDir dir;
    const auto archiveOwned = openArchive(dir.file("a.db"));
    Archive& archive = *archiveOwned;
    const std::int64_t t = 1700000000000;  // 2023-11-14T22:13:20Z
    const std::string digest = "Chat digest: 2023-11-14 (UTC)\nMessages: 2";
    for (std::int64_t period = 0; period < 2; ++period) {  // two posted digests with the same text
        const auto id = archive.recordDigestIntent(kChat, {period, period + 1, "p"}, digest, false, 0);
        archive.recordDigestPosted(id, 0);
    }
    auto reply = makeMessage(kChat, "mid:4", t + 3 * kMinute, 4, "thanks, bot", "user:2", "Bob");
    reply.replyTo = "mid:3";
    commit(archive, {makeMessage(kChat, "mid:1", t, 1, "hi", "user:1", "Ann"),
                     makeMessage(kChat, "mid:2", t + kMinute, 2, "hey", "user:3", "Cid"),
                     makeMessage(kChat, "mid:3", t + 2 * kMinute, 3, digest, "user:bot", "okarchive"), reply,
                     makeMessage(kChat, "mid:5", t + 2 * 86400000LL, 5, digest, "user:bot", "okarchive")});
    REQUIRE(archive.tagArchivedDigests(kChat, 0) == 2);

    const auto s = computeStatistics(archive, {kChat});
    CHECK(s.messages == 3);
    CHECK(s.senders == 3);
    for (const auto& sender : s.bySender) CHECK(sender.userId != "user:bot");
    REQUIRE(s.byDay.size() == 1);  // the last digest, two days later, does not stretch the range
    CHECK(s.byDay.front().messages == 3);
    CHECK(s.replies == 1);  // a person's reply to a digest is a person's message
    CHECK(s.medianResponseSeconds == 60);

    StatsQuery all{kChat};
    all.includeDigests = true;
    const auto with = computeStatistics(archive, all);
    CHECK(with.messages == 5);
    CHECK(with.senders == 4);
    REQUIRE(with.bySender.size() == 4);
    CHECK(with.bySender.front().userId == "user:bot");  // the bot is the top sender when its digests count
    CHECK(with.bySender.front().messages == 2);
    CHECK(with.byDay.size() == 3);

    // A digest the summary command posted and a later sync archived, which the ledger has not linked yet, is left
    // out all the same (found as the ledger finds it: by its text, among the messages after its attempt).
    const std::string later = "Chat digest: 2023-11-17 (UTC)\nMessages: 0";
    const auto id = archive.recordDigestIntent(kChat, {2, 3, "p"}, later, false, 0);
    archive.recordDigestPosted(id, 0);
    commit(archive, {makeMessage(kChat, "mid:6", t + 3 * 86400000LL, 6, later, "user:bot", "okarchive")});
    const auto untagged = computeStatistics(archive, {kChat});
    CHECK(untagged.messages == 3);
    CHECK(untagged.senders == 3);
    CHECK(computeStatistics(archive, all).messages == 6);
    // Posted again (--force) with the same text and archived: one message per post, never the same one twice.
    const auto again = archive.recordDigestIntent(kChat, {2, 3, "p"}, later, true, 0);
    archive.recordDigestPosted(again, 0);
    commit(archive, {makeMessage(kChat, "mid:7", t + 3 * 86400000LL + 1, 7, later, "user:bot", "okarchive")});
    CHECK(computeStatistics(archive, {kChat}).messages == 3);
    CHECK(computeStatistics(archive, all).messages == 7);
    REQUIRE(archive.tagArchivedDigests(kChat, 0) == 2);  // the ledger agrees: those messages are the digests
    CHECK(computeStatistics(archive, {kChat}).messages == 3);
}

TEST_CASE("edits and deletions count per local day they were observed and per sender", "[stats][changes]") {
    TempDir dir;
    test::ManualEnv env;
    const auto archiveOwned = openArchive(dir.file("a.db"), env);
    Archive& archive = *archiveOwned;
    const std::int64_t t = 1700000000000;
    const std::vector<Message> page{makeMessage(kChat, "mid:1", t, 1, "a", "user:1", "Ann"),
                                    makeMessage(kChat, "mid:2", t + 1000, 2, "b", "user:2", "Bob"),
                                    makeMessage(kChat, "mid:3", t + 2000, 3, "c", "user:2", "Bob")};
    archive.commitPage(kChat, page, {{t, t + 2000}});
    const auto day0 = env.wallMs();
    archive.commitPage(kChat, {makeMessage(kChat, "mid:1", t, 1, "a2", "user:1", "Ann")}, {});  // edit, day 0
    env.advance(std::chrono::hours(24));
    archive.startRecheck(kChat, {t, t + 2000});
    archive.commitRecheckPage(kChat, {makeMessage(kChat, "mid:1", t, 1, "a3", "user:1", "Ann"), page[2]}, {},
                              {{{t, t + 2000}}, std::nullopt});  // a second edit of mid:1, mid:2 gone, on day 1
    const auto s = computeStatistics(archive, {kChat});
    CHECK(s.edits == 2);
    CHECK(s.deletions == 1);
    const auto date = [](std::int64_t ms) { return TimeZone::utc().localDate(ms); };
    REQUIRE(s.changesByDay.size() == 2);
    CHECK(s.changesByDay[0].key == date(day0));
    CHECK(s.changesByDay[0].edits == 1);
    CHECK(s.changesByDay[0].deletions == 0);
    CHECK(s.changesByDay[1].key == date(day0 + 24 * 3600 * 1000));
    CHECK(s.changesByDay[1].edits == 1);
    CHECK(s.changesByDay[1].deletions == 1);
    REQUIRE(s.changesBySender.size() == 2);
    CHECK(s.changesBySender[0].key == "user:1");
    CHECK(s.changesBySender[0].edits == 2);
    CHECK(s.changesBySender[1].key == "user:2");
    CHECK(s.changesBySender[1].deletions == 1);
    const auto later = computeStatistics(archive, {kChat, t + 1500, std::nullopt});  // by message time: mid:3 only
    CHECK(later.edits + later.deletions == 0);
}
