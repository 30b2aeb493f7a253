#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "api/GraphClient.h"
#include "digest/SummaryComposer.h"
#include "digest/SummaryLedger.h"
#include "digest/SummaryPoster.h"
#include "store/Archive.h"
#include "unit/api/ScriptedServer.h"
#include "support/ManualEnv.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::test::ManualEnv;
using okarchive::test::TempDir;

namespace {

const std::string kChat = "chat:Cdigest";
constexpr std::int64_t kHour = 3'600'000;
const std::int64_t kMar4 = daysFromCivil(2024, 3, 4) * 24 * kHour;  // UTC midnight
const std::int64_t kMar5 = kMar4 + 24 * kHour;

/// A fixed archive: 2024-03-04 has 3 messages, 2024-03-05 has 7 (Ann 4, Bob 2, Cid 1), two joins and a leave,
/// attachments (2 IMAGE, 1 SHARE, 1 INLINE_KEYBOARD, 1 ZZZ_FUTURE_KIND); the busiest hour of the 5th is 14:00.
void fill(Archive& archive) {
    using okarchive::test::addAttachment;
    using okarchive::test::makeMessage;
    using okarchive::test::makeServiceMessage;
    std::vector<Message> page;
    int n = 0;
    auto add = [&](std::int64_t t, const std::string& user, const std::string& name) {
        ++n;
        page.push_back(makeMessage(kChat, "mid:" + std::to_string(n), t, n, "text " + std::to_string(n), user, name));
        return &page.back();
    };
    add(kMar4 + 10 * kHour, "user:1", "Ann");
    add(kMar4 + 11 * kHour, "user:2", "Bob");
    add(kMar4 + 12 * kHour, "user:2", "Bob");
    addAttachment(*add(kMar5 + 9 * kHour, "user:1", "Ann"), "IMAGE", "{\"url\":\"https://i/1\"}");
    add(kMar5 + 14 * kHour, "user:1", "Ann");
    addAttachment(*add(kMar5 + 14 * kHour + 60'000, "user:1", "Ann"), "IMAGE", "{\"url\":\"https://i/2\"}");
    add(kMar5 + 14 * kHour + 120'000, "user:2", "Bob");
    addAttachment(*add(kMar5 + 15 * kHour, "user:3", "Cid"), "SHARE", "{\"url\":\"https://ya.ru/\"}");
    addAttachment(*add(kMar5 + 20 * kHour, "user:2", "Bob"), "INLINE_KEYBOARD", "{\"buttons\":[]}");
    addAttachment(*add(kMar5 + 23 * kHour, "user:1", "Ann"), "ZZZ_FUTURE_KIND", "{}");
    page.push_back(makeServiceMessage(kChat, "mid:s1", kMar5 + 8 * kHour, 100, "ADD", "7"));
    page.push_back(makeServiceMessage(kChat, "mid:s2", kMar5 + 8 * kHour + 1, 101, "JOIN", "8"));
    page.push_back(makeServiceMessage(kChat, "mid:s3", kMar5 + 21 * kHour, 102, "EXIT", "2"));
    page.push_back(makeMessage(kChat, "mid:late", kMar5 + 24 * kHour, 200, "next day", "user:1", "Ann"));
    archive.commitPage(kChat, page, {{kMar4 - 1000, kMar5 + 48 * kHour}});
}

SummaryConfig dayConfig(const std::string& language) {
    SummaryConfig c;
    c.period = "day";
    c.language = language;
    return c;
}

/// The messages `query` selects, read through the archive's cursor (independently of the statistics module).
std::vector<Message> read(Archive& archive, const MessageQuery& query) {
    std::vector<Message> out;
    auto cursor = archive.openCursor(query);
    while (cursor->next()) out.push_back(cursor->current());
    return out;
}

/// A client of `server` that never retries (a failed POST fails at once, as every POST does).
GraphClient clientWithoutRetries(const okarchive::test::ScriptedServer& server) {
    GraphClientSettings settings;
    settings.baseUrl = server.baseUrl();
    settings.accessToken = "tok";
    settings.retry.maxRetries = 0;
    return GraphClient(settings, std::make_shared<RateLimiter>(0));
}

/// A fresh archive holding fill()'s messages.
struct FilledArchive {
    FilledArchive() { fill(*opened); }
    TempDir dir;
    std::unique_ptr<Archive> opened = openArchive(dir.file("a.db"));
};

}  // namespace

TEST_CASE("the digest of a day, in English and Russian, golden") {
    TempDir dir;
    const auto opened = openArchive(dir.file("a.db"));
    Archive& archive = *opened;
    fill(archive);
    const SummaryCalendar calendar(dayConfig("en"));
    const auto period = calendar.containing(kMar5 + kHour);

    // The numbers, counted here from the messages themselves, independently of the statistics module.
    const auto day = read(archive, {kChat, kMar5, kMar5 + 24 * kHour, {}, MessageKind::Message});
    REQUIRE(day.size() == 7);
    std::set<std::string> senders;
    std::size_t images = 0;
    for (const auto& m : day) {
        senders.insert(m.senderId);
        for (const auto& a : m.attachments) images += a.type == "IMAGE";
    }
    REQUIRE(senders.size() == 3);
    REQUIRE(images == 2);
    REQUIRE(read(archive, {kChat, kMar4, kMar5, {}, MessageKind::Message}).size() == 3);

    const auto en = SummaryPoster::composeDigest(archive, kChat, calendar, period, "en");
    CHECK(en ==
          "Chat digest: 2024-03-05 (UTC)\n"
          "Messages: 7 (+4, +133% vs the previous period: 3)\n"
          "Active members: 3\n"
          "Top senders: Ann (4), Bob (2), Cid (1)\n"
          "Joined: 2, left: 1\n"
          "Attachments: Photo 2, Buttons 1, Link 1, ZZZ_FUTURE_KIND 1\n"
          "Busiest hour: 14:00–15:00 (3)");
    const auto ru = SummaryPoster::composeDigest(archive, kChat, calendar, period, "ru");
    CHECK(ru ==
          "Сводка чата: 2024-03-05 (UTC)\n"
          "Сообщений: 7 (+4, +133% к прошлому периоду: 3)\n"
          "Активных участников: 3\n"
          "Самые активные: Ann (4), Bob (2), Cid (1)\n"
          "Вошли: 2, вышли: 1\n"
          "Вложения: Фото 2, Кнопки 1, Ссылка 1, ZZZ_FUTURE_KIND 1\n"
          "Самый активный час: 14:00–15:00 (3)");
}

TEST_CASE("a quiet period says so, and digests never exceed 4000 characters") {
    TempDir dir;
    const auto opened = openArchive(dir.file("a.db"));
    Archive& archive = *opened;
    fill(archive);
    const SummaryCalendar calendar(dayConfig("en"));
    const auto quiet = calendar.containing(kMar4 - 5 * 24 * kHour);
    REQUIRE(SummaryPoster::composeDigest(archive, kChat, calendar, quiet, "en").find("No messages in this period.") !=
            std::string::npos);
    REQUIRE(truncateCharacters(std::string(5000, 'x'), 4000).size() == 3999 + std::string("…").size());
    std::string cyrillic;
    for (int i = 0; i < 5000; ++i) cyrillic += "ж";
    const auto cut = truncateCharacters(cyrillic, 4000);
    REQUIRE(cut.size() == 3999 * 2 + std::string("…").size());
}

TEST_CASE("exactly once: intent before the POST, outcome after - an interrupted attempt is judged by the history") {
    TempDir dir;
    const auto opened = openArchive(dir.file("a.db"));
    Archive& archive = *opened;
    fill(archive);
    ManualEnv clock;
    clock.setWallBase(kMar5 + 30 * kHour);
    okarchive::test::ScriptedServer server({okarchive::test::ok("{\"success\":true}")}, true);
    GraphClientSettings settings;
    settings.baseUrl = server.baseUrl();
    settings.accessToken = "tok";
    GraphClient client(settings, std::make_shared<RateLimiter>(0));
    const SummaryCalendar calendar(dayConfig("en"));
    const auto period = calendar.containing(kMar5 + kHour);
    const auto text = SummaryPoster::composeDigest(archive, kChat, calendar, period, "en");
    SummaryLedger ledger(archive);
    auto posts = [&] { return server.seen().size(); };

    SECTION("posted once, then never again") {
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, std::nullopt) ==
                SummaryPoster::Outcome::Posted);
        REQUIRE(posts() == 1);
        REQUIRE(server.seen()[0].method == "POST");
        REQUIRE(server.seen()[0].body.find("\"chat_id\":\"" + kChat + "\"") != std::string::npos);
        REQUIRE(ledger.find(kChat, period)->state == "posted");
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, clock.wallMs()) ==
                SummaryPoster::Outcome::AlreadyPosted);
        REQUIRE(posts() == 1);
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, true, clock, std::nullopt) ==
                SummaryPoster::Outcome::Posted);  // --force
        REQUIRE(posts() == 2);
    }
    SECTION("a crash after the POST: the text is in the history, so it is recorded as posted, not re-posted") {
        const auto attempt = clock.wallMs();
        ledger.recordIntent(kChat, period, text, false, attempt);  // then "crashed"
        auto posted = okarchive::test::makeMessage(kChat, "mid:bot", attempt + 5, 900, text, "user:bot", "Bot");
        archive.commitPage(kChat, {posted}, {});
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, attempt + 1000) ==
                SummaryPoster::Outcome::FoundInHistory);
        REQUIRE(posts() == 0);
        REQUIRE(ledger.find(kChat, period)->state == "posted");
        MessageQuery withoutDigests{kChat};
        withoutDigests.excludeDigests = true;
        const auto kept = read(archive, withoutDigests);  // the posted digest is tagged: exports leave it out
        REQUIRE(kept.size() + 1 == read(archive, {kChat}).size());
        REQUIRE(std::none_of(kept.begin(), kept.end(), [](const Message& m) { return m.mid == "mid:bot"; }));
    }
    SECTION("a crash before the POST: unresolved until a later sync proves it absent, then posted once") {
        const auto attempt = clock.wallMs();
        ledger.recordIntent(kChat, period, text, false, attempt);
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, std::nullopt) ==
                SummaryPoster::Outcome::Unresolved);
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, attempt - 1) ==
                SummaryPoster::Outcome::Unresolved);  // that sync began before the attempt: it proves nothing
        REQUIRE(posts() == 0);
        clock.advance(std::chrono::seconds(60));
        REQUIRE(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, attempt + 30'000) ==
                SummaryPoster::Outcome::Posted);
        REQUIRE(posts() == 1);
        REQUIRE(ledger.find(kChat, period)->attempts == 2);
    }
}

TEST_CASE("a failed POST keeps the intent with its error, for the next cycle") {
    TempDir dir;
    const auto opened = openArchive(dir.file("a.db"));
    Archive& archive = *opened;
    fill(archive);
    ManualEnv clock;
    okarchive::test::ScriptedServer server({okarchive::test::status(500, "{}")}, true);
    auto client = clientWithoutRetries(server);
    const SummaryCalendar calendar(dayConfig("en"));
    const auto period = calendar.containing(kMar5);
    REQUIRE_THROWS_AS(SummaryPoster::deliver(archive, client, kChat, period, "digest", false, clock, std::nullopt),
                      ApiError);
    const auto row = SummaryLedger(archive).find(kChat, period);
    REQUIRE(row);
    REQUIRE(row->state == "intent");
    REQUIRE_FALSE(row->lastError.empty());
}

TEST_CASE("a digest whose POST answer was lost is found, not posted again, whichever way our clock is off") {
    for (const std::int64_t skew : {kHour, -kHour}) {
        INFO("host clock off by " << skew << " ms");
        TempDir dir;
        const auto opened = openArchive(dir.file("a.db"));
        Archive& archive = *opened;
        fill(archive);
        const std::int64_t serverNow = kMar5 + 30 * kHour;
        ManualEnv clock;
        clock.setWallBase(serverNow + skew);
        // The server stores the digest, then its answer is lost (a 500 here: either way the POST "failed").
        okarchive::test::ScriptedServer server({okarchive::test::status(500, "{}")}, true);
        auto client = clientWithoutRetries(server);
        const SummaryCalendar calendar(dayConfig("en"));
        const auto period = calendar.containing(kMar5 + kHour);
        const auto text = SummaryPoster::composeDigest(archive, kChat, calendar, period, "en");
        REQUIRE_THROWS_AS(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, std::nullopt),
                          ApiError);
        REQUIRE(server.seen().size() == 1);
        // A later sync (our clock) archives the digest the server stamped by ITS clock, a few ms after its "now".
        clock.advance(std::chrono::seconds(60));
        const auto syncStart = clock.wallMs();
        archive.commitPage(kChat, {okarchive::test::makeMessage(kChat, "mid:bot", serverNow + 5, 900, text)}, {});
        clock.advance(std::chrono::seconds(5));
        CHECK(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, syncStart) ==
              SummaryPoster::Outcome::FoundInHistory);
        CHECK(server.seen().size() == 1);  // exactly once
        CHECK(SummaryLedger(archive).find(kChat, period)->state == "posted");
        CHECK(SummaryLedger(archive).find(kChat, period)->messageKey);  // tagged as the bot's digest
    }
}

TEST_CASE("the ledger tells the start of the chat's latest successful sync, for judging a failed attempt") {
    TempDir dir;
    const auto opened = openArchive(dir.file("a.db"));
    Archive& archive = *opened;
    SummaryLedger ledger(archive);
    CHECK_FALSE(ledger.latestSyncStart(kChat));
    archive.recordSyncRun({kChat, 100, 200, "ok", 1, 1, ""});
    archive.recordSyncRun({kChat, 300, 400, "failed", 0, 1, "HTTP 500"});  // a failed one proves nothing
    CHECK(ledger.latestSyncStart(kChat) == std::optional<std::int64_t>(100));
    archive.recordSyncRun({kChat, 500, 600, "ok", 0, 1, ""});
    CHECK(ledger.latestSyncStart(kChat) == std::optional<std::int64_t>(500));
    CHECK_FALSE(ledger.latestSyncStart("chat:other"));
}

TEST_CASE("a message stamped in the future does not hide a digest whose POST answer was lost") {
    for (const std::int64_t skew : {std::int64_t{0}, kHour, -kHour}) {
        INFO("host clock off by " << skew << " ms");
        TempDir dir;
        const std::int64_t serverNow = kMar5 + 30 * kHour;
        ManualEnv clock;  // ours: stamps the attempts and the archive alike
        clock.setWallBase(serverNow + skew);
        const auto opened = openArchive(dir.file("a.db"), clock);
        Archive& archive = *opened;
        fill(archive);
        // An odd server stamped one message in 2100 (the decoder accepts years up to 9999): the newest archived.
        archive.commitPage(kChat, {okarchive::test::makeMessage(kChat, "mid:2100", 4'102'444'800'000, 800, "odd")}, {});
        okarchive::test::ScriptedServer server({okarchive::test::status(500, "{}")}, true);
        auto client = clientWithoutRetries(server);
        const SummaryCalendar calendar(dayConfig("en"));
        const auto period = calendar.containing(kMar5 + kHour);
        const auto text = SummaryPoster::composeDigest(archive, kChat, calendar, period, "en");
        REQUIRE_THROWS_AS(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, std::nullopt),
                          ApiError);
        clock.advance(std::chrono::seconds(60));  // the advised sync archives the digest the server had stored
        const auto syncStart = clock.wallMs();
        archive.commitPage(kChat, {okarchive::test::makeMessage(kChat, "mid:bot", serverNow + 5, 900, text)}, {});
        clock.advance(std::chrono::seconds(5));
        CHECK(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, syncStart) ==
              SummaryPoster::Outcome::FoundInHistory);
        CHECK(server.seen().size() == 1);  // exactly once
        CHECK(SummaryLedger(archive).find(kChat, period)->messageKey);
    }
}

TEST_CASE("a host clock stepped back after the last sync: that earlier sync never proves a lost digest absent") {
    FilledArchive filled;
    Archive& archive = *filled.opened;
    const std::int64_t serverNow = kMar5 + 30 * kHour;
    ManualEnv clock;
    clock.setWallBase(serverNow);
    const auto syncStart = clock.wallMs();  // the chat's latest sync, while our clock was right
    clock.setWallBase(serverNow - kHour);   // then our clock steps back an hour (an NTP correction)
    clock.advance(std::chrono::minutes(10));
    // The server stores the digest but its answer is lost (500); a second POST would be answered.
    okarchive::test::ScriptedServer server({okarchive::test::status(500, "{}"), okarchive::test::ok("{}")}, true);
    auto client = clientWithoutRetries(server);
    const SummaryCalendar calendar(dayConfig("en"));
    const auto period = calendar.containing(kMar5 + kHour);
    const auto text = SummaryPoster::composeDigest(archive, kChat, calendar, period, "en");
    REQUIRE_THROWS_AS(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, syncStart), ApiError);
    REQUIRE(server.seen().size() == 1);
    // Retried with no sync since: the only sync known ran before the attempt, whatever our clock now says.
    clock.advance(std::chrono::minutes(1));
    CHECK(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, syncStart) ==
          SummaryPoster::Outcome::Unresolved);
    CHECK(server.seen().size() == 1);  // not posted a second time
    // The advised sync archives the digest (stamped by the server's clock): found, still posted once.
    clock.advance(std::chrono::minutes(1));
    const auto laterSync = clock.wallMs();
    archive.commitPage(kChat, {okarchive::test::makeMessage(kChat, "mid:bot", serverNow + 11 * 60'000, 900, text)}, {});
    CHECK(SummaryPoster::deliver(archive, client, kChat, period, text, false, clock, laterSync) ==
          SummaryPoster::Outcome::FoundInHistory);
    CHECK(server.seen().size() == 1);
}
