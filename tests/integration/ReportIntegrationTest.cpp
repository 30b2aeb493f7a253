#include <catch2/catch.hpp>

#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include "integration/Harness.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:C5eport0000001";
const std::string kOther = "chat:C5eport0000002";

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

long long countLines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

/// How many messages export finds with these extra filters: the report must agree with export's filters.
long long exported(const SimProcess& sim, const std::string& db, const std::string& out,
                   std::initializer_list<std::string> filters) {
    auto args = with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + out});
    args.insert(args.end(), filters.begin(), filters.end());
    const auto r = runOkarchive(args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return countLines(readFile(out));
}

}  // namespace

TEST_CASE("okarchive report writes JSON that agrees with export, and a self-contained HTML page") {
    TempDir dir;
    SimProcess sim({"--seed=5", "--chat=" + kChat + "=4000", "--chat=" + kOther + "=300"});
    const auto db = dir.file("r.db");
    auto sync = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat, "--chat=" + kOther}));
    INFO(sync.out << sync.err);
    REQUIRE(sync.exitCode == 0);

    const auto json = dir.file("report.json");
    auto r = runOkarchive(with(baseArgs(sim, db), {"report", "--chat=" + kChat, "--format=json",
                                                   "--timezone=Europe/Moscow", "--output=" + json}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.err.find("written to " + json) != std::string::npos);
    auto report = parseJson(readFile(json));
    CHECK(report->getValue<std::string>("format") == "okarchive-report");
    CHECK(report->getValue<int>("version") == 1);
    CHECK(report->getValue<std::string>("chat_id") == kChat);
    CHECK(report->getValue<std::string>("timezone") == "Europe/Moscow");
    CHECK(report->get("since").isEmpty());
    const auto totals = report->getObject("totals");
    const auto messages = totals->getValue<long long>("messages");
    CHECK(messages == exported(sim, db, dir.file("m.ndjson"), {"--kind=message"}));
    CHECK(totals->getValue<long long>("service_events") == exported(sim, db, dir.file("s.ndjson"), {"--kind=service"}));
    long long perDay = 0, perSender = 0, perHour = 0;
    for (const auto& day : *report->getArray("by_day"))
        perDay += day.extract<Poco::JSON::Object::Ptr>()->getValue<long long>("messages");
    for (const auto& s : *report->getArray("by_sender"))
        perSender += s.extract<Poco::JSON::Object::Ptr>()->getValue<long long>("messages");
    const auto week = report->getArray("by_hour_of_week");
    REQUIRE(week->size() == 7);
    for (std::size_t d = 0; d < 7; ++d)
        for (const auto& v : *week->getArray(static_cast<unsigned>(d))) perHour += v.convert<long long>();
    CHECK(perDay == messages);
    CHECK(perSender == messages);
    CHECK(perHour == messages);
    CHECK(report->getObject("conversations")->getValue<long long>("count") > 0);
    CHECK(report->getObject("replies")->getValue<long long>("count") > 0);

    // A time range: the same messages as export's --since/--until.
    const auto ranged = dir.file("ranged.json");
    const auto firstDay = report->getArray("by_day")->getObject(3)->getValue<std::string>("date");
    const auto lastDay = report->getArray("by_day")->getObject(40)->getValue<std::string>("date");
    r = runOkarchive(with(baseArgs(sim, db), {"report", "--chat=" + kChat, "--format=json", "--timezone=Europe/Moscow",
                                              "--since=" + firstDay, "--until=" + lastDay, "--output=" + ranged}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    report = parseJson(readFile(ranged));
    CHECK(report->getArray("by_day")->size() == 37);
    CHECK(report->getArray("by_day")->getObject(0)->getValue<std::string>("date") == firstDay);
    CHECK(report->getObject("totals")->getValue<long long>("messages") ==
          exported(sim, db, dir.file("r.ndjson"),
                   {"--kind=message", "--timezone=Europe/Moscow", "--since=" + firstDay, "--until=" + lastDay}));

    const auto html = dir.file("report.html");
    r = runOkarchive(with(baseArgs(sim, db), {"report", "--chat=" + kChat, "--format=html", "--output=" + html}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto page = readFile(html);
    CHECK(page.find("<svg ") != std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("Messages per day") != std::string::npos);

    // --chat=all: one report per chat, STEM.<id>.EXT.
    r = runOkarchive(
        with(baseArgs(sim, db), {"report", "--chat=all", "--format=json", "--output=" + dir.file("all.json")}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(parseJson(readFile(dir.file("all.C5eport0000001.json")))->getValue<std::string>("chat_id") == kChat);
    CHECK(parseJson(readFile(dir.file("all.C5eport0000002.json")))->getValue<std::string>("chat_id") == kOther);
}

TEST_CASE("report of a synced chat counts the media the sync saved, by type, as the simulator served them") {
    TempDir dir;
    const std::string chat = "chat:C5eport0000003";
    SimProcess sim(
        {"--seed=12", "--chat=" + chat + "=600", "--media-fault-rate=0.25", "--media-fault-kinds=404,html200"});
    const auto db = dir.file("media.db");
    auto args = [&](std::initializer_list<std::string> more) {
        return with(with(baseArgs(sim, db), {"-Dmedia.allow_private_addresses=true", "-Dmedia.requests_per_second=0"}),
                    more);
    };
    const auto sync = runOkarchive(args({"sync", "--chat=" + chat}));
    INFO(sync.out << sync.err);
    REQUIRE(sync.exitCode == 0);

    // Independent expectation: the simulator's media truth, each id served whole unless it carries a fault, its
    // kind in lower case ("other" is the one type the simulator does not name: HOLOGRAM in this seed).
    std::map<std::string, std::pair<long long, long long>> served;  // type -> files, bytes
    long long faulted = 0;
    const auto truth = Poco::JSON::Parser().parse(sim.get("/_sim/media-truth")).extract<Poco::JSON::Array::Ptr>();
    for (unsigned i = 0; i < truth->size(); ++i) {
        const auto entry = truth->getObject(i);
        if (entry->getValue<std::string>("fault") != "none") {
            ++faulted;
            continue;
        }
        auto type = Poco::toUpper(entry->getValue<std::string>("kind"));
        auto& [files, bytes] = served[type == "OTHER" ? "HOLOGRAM" : type];
        ++files;
        bytes += entry->getValue<long long>("size");
    }
    REQUIRE(served.size() >= 6);
    REQUIRE(faulted > 0);

    const auto out = dir.file("media-report.json");
    const auto r = runOkarchive(args({"report", "--chat=" + chat, "--format=json", "--output=" + out}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto media = parseJson(readFile(out))->getObject("media");
    long long files = 0, bytes = 0;
    for (const auto& [type, counts] : served) {
        INFO(type);
        const auto ofType = media->getObject("by_type")->getObject(type);
        REQUIRE(ofType);
        CHECK(ofType->getValue<long long>("saved") == counts.first);
        CHECK(ofType->getValue<long long>("saved_bytes") == counts.second);
        files += counts.first;
        bytes += counts.second;
    }
    CHECK(media->getValue<long long>("saved") == files);
    CHECK(media->getValue<long long>("saved_bytes") == bytes);
    CHECK(media->getValue<long long>("missing") >= faulted);  // a faulted id may stand in more than one message

    const auto html = dir.file("media-report.html");
    REQUIRE(runOkarchive(args({"report", "--chat=" + chat, "--format=html", "--output=" + html})).exitCode == 0);
    const auto page = readFile(html);
    CHECK(page.find("<section id=\"media\">") != std::string::npos);
    CHECK(page.find("No media in this range.") == std::string::npos);
}

TEST_CASE("okarchive report: clear errors and the export command's exit codes") {
    TempDir dir;
    SimProcess sim({"--seed=5", "--chat=" + kChat + "=200"});
    const auto db = dir.file("e.db");
    const auto out = dir.file("x.json");
    auto args = [&](std::initializer_list<std::string> more) { return with(baseArgs(sim, db), more); };

    auto r = runOkarchive(args({"report", "--chat=" + kChat, "--format=json", "--output=" + out}));
    CHECK(r.exitCode == 1);  // no archive yet
    CHECK(r.err.find("does not exist") != std::string::npos);

    REQUIRE(runOkarchive(args({"sync", "--chat=" + kChat})).exitCode == 0);
    r = runOkarchive(args({"report", "--chat=chat:Cunknown", "--format=json", "--output=" + out}));
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("chat:Cunknown is not in the archive") != std::string::npos);

    struct Case {
        std::vector<std::string> options;
        std::string message;
    };
    for (const auto& c : std::vector<Case>{
             {{"--format=csv"}, "--format='csv'"},
             {{"--format=json", "--since=yesterday"}, "--since"},
             {{"--format=json", "--since=2024-02-01", "--until=2024-01-01"}, "is not before"},
             {{"--format=json", "--timezone=Mars/Base"}, "Mars/Base"},
             {{"--format=json", "--sender=user:1"}, "--sender applies to export only"},
             {{}, "--format is required"},
         }) {
        auto a = args({"report", "--chat=" + kChat, "--output=" + out});
        a.insert(a.end(), c.options.begin(), c.options.end());
        r = runOkarchive(a);
        INFO(c.message << "\n" << r.err);
        CHECK(r.exitCode == 2);
        CHECK(r.err.find(c.message) != std::string::npos);
    }
    r = runOkarchive(args({"report", "--chat=" + kChat, "--format=json"}));
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("--output") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("report leaves out the digests okarchive posted unless --include-digests, and speaks Russian") {
    TempDir dir;
    SimProcess sim({"--seed=47", "--chat=" + kChat + "=40", "--bot-user=user:910000000001"});
    const auto db = dir.file("d.db");
    const auto sync = with(baseArgs(sim, db), {"sync", "--chat=" + kChat});
    REQUIRE(runOkarchive(sync).exitCode == 0);
    // Three digests (of three periods) posted into the chat, then archived by the next sync, which the ledger has not
    // linked to them yet (only serve does, after its syncs): the bot outnumbers any member of a 40-message chat.
    for (const char* until : {"--until=4102444800000", "--until=4070908800000", "--until=4039372800000"}) {
        const auto posted = runOkarchive(with(baseArgs(sim, db), {"summary", "--chat=" + kChat, "--since=0", until}));
        INFO(posted.err);
        REQUIRE(posted.exitCode == 0);
    }
    REQUIRE(runOkarchive(sync).exitCode == 0);

    auto report = [&](std::initializer_list<std::string> extra) {
        const auto out = dir.file("r.json");
        auto args = with(baseArgs(sim, db), {"report", "--format=json", "--chat=" + kChat, "--output=" + out});
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = runOkarchive(args);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        return parseJson(readFile(out));
    };
    auto messagesOf = [](const Poco::JSON::Object::Ptr& json, const std::string& id) {
        const auto senders = json->getArray("by_sender");
        for (unsigned i = 0; i < senders->size(); ++i)
            if (senders->getObject(i)->getValue<std::string>("user_id") == id)
                return senders->getObject(i)->getValue<long long>("messages");
        return 0LL;
    };
    const auto plain = report({});
    CHECK(messagesOf(plain, "user:910000000001") == 0);
    const auto counted = report({"--include-digests"});
    CHECK(messagesOf(counted, "user:910000000001") == 3);
    CHECK(counted->getObject("totals")->getValue<long long>("messages") ==
          plain->getObject("totals")->getValue<long long>("messages") + 3);
    CHECK(plain->getObject("totals")->getValue<long long>("messages") ==
          exported(sim, db, dir.file("m.ndjson"), {"--kind=message"}) - 3);

    const auto html = dir.file("r.html");
    const auto ru = runOkarchive(
        with(baseArgs(sim, db), {"report", "--format=html", "--chat=" + kChat, "--locale=ru", "--output=" + html}));
    INFO(ru.err);
    REQUIRE(ru.exitCode == 0);
    const auto page = readFile(html);
    CHECK(page.find("<html lang=\"ru\"") != std::string::npos);
    CHECK(page.find("Сообщения по дням") != std::string::npos);
    CHECK(page.find("Messages per day") == std::string::npos);
    CHECK(runOkarchive(with(baseArgs(sim, db),
                            {"report", "--format=html", "--chat=" + kChat, "--locale=fr", "--output=" + html}))
              .exitCode == 2);
    const auto fromSetting = runOkarchive(with(
        baseArgs(sim, db), {"-Dexport.locale=ru", "report", "--format=html", "--chat=" + kChat, "--output=" + html}));
    REQUIRE(fromSetting.exitCode == 0);
    CHECK(readFile(html).find("<html lang=\"ru\"") != std::string::npos);
}
