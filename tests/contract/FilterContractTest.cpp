#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "contract/ArchiveContract.h"
#include "unit/store/StoreTestSupport.h"

// Reads: cursors and their filters, counts, lookups, the digests left out.
using namespace okarchive;
using okarchive::contract::freshBackend;

namespace {

const std::string kChat = "chat:F";

/// A varied chat: 400 messages over 4 senders, some with attachments, some service events, mixed-case Cyrillic text.
std::vector<Message> variedChat() {
    std::vector<Message> all;
    const char* texts[] = {"Привет, МИР", "hello World", "=SUM(A1)", "nothing here", "мир во всём мире"};
    for (int i = 0; i < 400; ++i) {
        const std::int64_t ts = 1'700'000'000'000 + (i / 3) * 1000;  // triples share a second, boundaries matter
        if (i % 25 == 0) {
            all.push_back(test::makeServiceMessage(kChat, "mid:F." + std::to_string(i), ts, i, i % 50 ? "EXIT" : "ADD",
                                                   std::to_string(100 + i % 4)));
            continue;
        }
        auto m = test::makeMessage(kChat, "mid:F." + std::to_string(i), ts, i, std::string(texts[i % 5]),
                                   "user:" + std::to_string(i % 4), "User " + std::to_string(i % 4));
        if (i % 7 == 0) test::addAttachment(m, "IMAGE", R"({"url":"https://x/1.png"})");
        if (i % 11 == 0) test::addAttachment(m, i % 2 ? "FILE" : "LOCATION", R"({"latitude":1})");
        if (i % 13 == 0) m.text.reset();
        all.push_back(m);
    }
    return all;
}

std::vector<std::string> read(Archive& archive, const MessageQuery& q) {
    return contract::mids(contract::readAll(archive, q));
}

/// The expectation, computed independently by brute force over the messages in (timestamp, seq) order.
std::vector<std::string> expected(const std::vector<Message>& all, const std::function<bool(const Message&)>& keep) {
    auto sorted = all;
    std::sort(sorted.begin(), sorted.end(), [](const Message& a, const Message& b) {
        return std::tie(a.timestamp, a.seq) < std::tie(b.timestamp, b.seq);
    });
    std::vector<std::string> mids;
    for (const auto& m : sorted)
        if (keep(m)) mids.push_back(m.mid);
    return mids;
}

}  // namespace

TEST_CASE("export filters select exactly what they say, since inclusive and until exclusive", "[contract][filter]") {
    auto backend = freshBackend();
    auto opened = backend->open();
    Archive& archive = *opened;
    const auto all = variedChat();
    archive.commitPage(kChat, all, {});
    const std::int64_t t0 = 1'700'000'000'000;

    auto check = [&](MessageQuery q, const std::function<bool(const Message&)>& keep) {
        q.chatId = kChat;
        const auto want = expected(all, keep);
        REQUIRE(read(archive, q) == want);
        REQUIRE(archive.countMessages(q) == static_cast<std::int64_t>(want.size()));
    };

    SECTION("time bounds, exactly on a shared second") {
        check({"", t0 + 10'000, t0 + 20'000},
              [&](const Message& m) { return m.timestamp >= t0 + 10'000 && m.timestamp < t0 + 20'000; });
        check({"", t0 + 10'000}, [&](const Message& m) { return m.timestamp >= t0 + 10'000; });
        check({"", {}, t0 + 10'000}, [&](const Message& m) { return m.timestamp < t0 + 10'000; });
        check({"", t0 + 10'001, t0 + 10'002}, [](const Message&) { return false; });  // an empty result is fine
    }
    SECTION("senders, any of them") {
        MessageQuery q;
        q.senders = {"user:1", "user:3"};
        check(q, [](const Message& m) { return m.senderId == "user:1" || m.senderId == "user:3"; });
    }
    SECTION("kind") {
        MessageQuery q;
        q.kind = MessageKind::Service;
        check(q, [](const Message& m) { return m.service.has_value(); });
        q.kind = MessageKind::Message;
        check(q, [](const Message& m) { return !m.service; });
    }
    SECTION("attachment types, any of them") {
        MessageQuery q;
        q.attachmentTypes = {"FILE", "LOCATION"};
        check(q, [](const Message& m) {
            return std::any_of(m.attachments.begin(), m.attachments.end(),
                               [](const Attachment& a) { return a.type == "FILE" || a.type == "LOCATION"; });
        });
    }
    SECTION("attachment types ignore ASCII case, as typed on a command line") {
        MessageQuery q;
        q.attachmentTypes = {"image", "Location"};
        const auto imageOrLocation = [](const Message& m) {
            return std::any_of(m.attachments.begin(), m.attachments.end(),
                               [](const Attachment& a) { return a.type == "IMAGE" || a.type == "LOCATION"; });
        };
        check(q, imageOrLocation);
        REQUIRE_FALSE(expected(all, imageOrLocation).empty());
        REQUIRE(expected(all, [&](const Message& m) { return matchesQuery(q, m); }) == expected(all, imageOrLocation));
        q.attachmentTypes = {"IMAGEX"};
        check(q, [](const Message&) { return false; });
    }
    SECTION("contains ignores case in Cyrillic and Latin, never matches a missing text") {
        MessageQuery q;
        q.contains = "мИр";
        check(q, [](const Message& m) {
            return m.text && (m.text->find("МИР") != std::string::npos || m.text->find("мир") != std::string::npos);
        });
        q.contains = "WORLD";
        check(q, [](const Message& m) { return m.text && m.text->find("World") != std::string::npos; });
    }
    SECTION("filters combine with AND, and matchesQuery agrees with the cursor") {
        MessageQuery q;
        q.chatId = kChat;
        q.since = t0 + 5'000;
        q.until = t0 + 100'000;
        q.senders = {"user:2"};
        q.kind = MessageKind::Message;
        q.contains = "hello";
        const auto want = expected(all, [&](const Message& m) { return matchesQuery(q, m); });
        const auto got = read(archive, q);
        REQUIRE(got == want);
        REQUIRE_FALSE(got.empty());
        for (const auto& mid : got) REQUIRE(mid.rfind("mid:F.", 0) == 0);
    }
}

TEST_CASE("a message is found by its mid with everything it carries", "[contract][filter]") {
    auto backend = freshBackend();
    auto opened = backend->open();
    Archive& archive = *opened;
    const auto all = variedChat();
    archive.commitPage(kChat, all, {});
    auto found = archive.findMessage(kChat, "mid:F.77");
    REQUIRE(found);
    REQUIRE(*found == test::asArchived(all[77]));
    REQUIRE_FALSE(archive.findMessage(kChat, "mid:F.nope"));
    REQUIRE_FALSE(archive.findMessage("chat:other", "mid:F.77"));
}

TEST_CASE("the bot's own digests, once tagged by the ledger, can be left out", "[contract][filter][ledger]") {
    auto backend = freshBackend();
    auto opened = backend->open();
    Archive& archive = *opened;
    // Two posted digests whose text is "hello World", archived after the attempts: the earliest untagged messages
    // with it are F.1 and F.6.
    for (std::int64_t period = 0; period < 2; ++period) {
        const auto id = archive.recordDigestIntent(kChat, {period, period + 1, "p"}, "hello World", false, 0);
        archive.recordDigestPosted(id, 0);
    }
    const auto all = variedChat();
    archive.commitPage(kChat, all, {});
    REQUIRE(archive.tagArchivedDigests(kChat, 0) == 2);
    REQUIRE(archive.tagArchivedDigests(kChat, 0) == 0);  // tagged once
    MessageQuery q{kChat};
    q.excludeDigests = true;
    const auto mids = read(archive, q);
    REQUIRE(mids.size() == all.size() - 2);
    for (const char* digest : {"mid:F.1", "mid:F.6"})
        REQUIRE(std::find(mids.begin(), mids.end(), digest) == mids.end());
    REQUIRE(archive.countMessages(q) == static_cast<std::int64_t>(all.size() - 2));
    q.excludeDigests = false;
    REQUIRE(archive.countMessages(q) == static_cast<std::int64_t>(all.size()));
}

TEST_CASE("edited and deleted select what re-fetches and re-checks observed, alone and with the other filters",
          "[contract][filter][recheck]") {
    auto backend = freshBackend();
    auto opened = backend->open();
    Archive& archive = *opened;
    const auto all = variedChat();
    archive.commitPage(kChat, all, {});
    const std::int64_t t0 = 1'700'000'000'000;

    // Every 9th message edited (a member added to its raw JSON, a new text); then a complete re-check of the chat
    // whose page misses every 10th: those are marked deleted, edited or not.
    std::set<std::string> edited, deleted;
    auto current = all;
    for (std::size_t i = 4; i < current.size(); i += 9) {
        current[i].rawJson.insert(current[i].rawJson.size() - 1, ",\"edited\":1");
        current[i].text = "edited";
        edited.insert(current[i].mid);
    }
    REQUIRE(archive.commitPage(kChat, current, {}).revised == static_cast<int>(edited.size()));
    std::vector<Message> page;
    for (std::size_t i = 0; i < current.size(); ++i) {
        if (i % 10 == 3)
            deleted.insert(current[i].mid);
        else
            page.push_back(current[i]);
    }
    archive.startRecheck(kChat, {t0, t0 + 200'000});
    REQUIRE(archive.commitRecheckPage(kChat, page, {}, {{{t0, t0 + 200'000}}, std::nullopt}).deleted ==
            static_cast<int>(deleted.size()));

    const auto isEdited = [&](const Message& m) { return edited.count(m.mid) > 0; };
    const auto isDeleted = [&](const Message& m) { return deleted.count(m.mid) > 0; };
    const auto imageFiles = [&](const std::function<bool(const Message&)>& keep) {
        std::int64_t files = 0;
        for (const auto& m : current)
            if (keep(m))
                files += std::count_if(m.attachments.begin(), m.attachments.end(),
                                       [](const Attachment& a) { return a.type == "IMAGE"; });
        return files;
    };
    auto check = [&](MessageQuery q, const std::function<bool(const Message&)>& keep) {
        q.chatId = kChat;
        const auto want = expected(current, keep);  // the edited texts as they are now
        REQUIRE_FALSE(want.empty());
        REQUIRE(read(archive, q) == want);
        REQUIRE(archive.countMessages(q) == static_cast<std::int64_t>(want.size()));
        for (const auto& m : contract::readAll(archive, q)) REQUIRE(matchesQuery(q, m));
        std::int64_t images = 0;
        for (const auto& count : archive.mediaCounts(q))
            if (count.type == "IMAGE") images += count.files;
        REQUIRE(images == imageFiles(keep));
    };

    MessageQuery q;
    q.edited = true;
    check(q, isEdited);
    q.edited = false;
    check(q, [&](const Message& m) { return !isEdited(m); });
    q = {};
    q.deleted = true;
    check(q, isDeleted);
    q.deleted = false;
    check(q, [&](const Message& m) { return !isDeleted(m); });
    q.edited = true;
    q.deleted = true;
    check(q, [&](const Message& m) { return isEdited(m) && isDeleted(m); });
    q = {};
    q.deleted = false;
    q.since = t0 + 50'000;
    q.senders = {"user:1"};
    q.attachmentTypes = {"IMAGE"};
    check(q, [&](const Message& m) {
        return !isDeleted(m) && m.timestamp >= t0 + 50'000 && m.senderId == "user:1" &&
               std::any_of(m.attachments.begin(), m.attachments.end(),
                           [](const Attachment& a) { return a.type == "IMAGE"; });
    });
    q.contains = "мир";  // counted through the cursor, not the SQL
    check(q, [&](const Message& m) {
        return !isDeleted(m) && m.timestamp >= t0 + 50'000 && m.senderId == "user:1" && m.text &&
               (m.text->find("МИР") != std::string::npos || m.text->find("мир") != std::string::npos) &&
               std::any_of(m.attachments.begin(), m.attachments.end(),
                           [](const Attachment& a) { return a.type == "IMAGE"; });
    });
}
