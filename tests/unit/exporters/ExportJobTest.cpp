#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ExportTestSupport.h"
#include "GoldenFixture.h"
#include "domain/Json.h"
#include "exporters/ExportFormats.h"
#include "exporters/ExportJob.h"
#include "exporters/HtmlText.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

void fillNumbered(Message& m, std::uint64_t i) {
    m.chatId = "chat:C1";
    m.mid = "mid:C1." + std::to_string(i);
    m.timestamp = 1600000000000 + static_cast<std::int64_t>(i) * 1000;
    m.seq = static_cast<std::int64_t>(i);
    m.senderId = "user:" + std::to_string(i % 3);
    m.senderName = "User " + std::to_string(i % 3);
    m.text = "message number " + std::to_string(i);
    m.replyTo.reset();
    if (i >= 6000) m.replyTo = "mid:C1." + std::to_string(i - 6000);
}

/// Answers like the store would for the numbered messages of fillNumbered.
class NumberedResolver : public ReplyResolver {
public:
    std::optional<ReplyTarget> find(const std::string& mid) override {
        const auto i = std::stoull(mid.substr(7));
        Message m;
        fillNumbered(m, i);
        return ReplyTarget{m.mid, m.timestamp, m.seq, m.senderName, *m.text, true};
    }
};

ExportRequest numberedRequest(std::uint64_t count, const std::string& format, const std::string& path) {
    ExportRequest r;
    r.format = format;
    r.outputPath = path;
    r.chatId = "chat:C1";
    r.chatTitle = "Numbers";
    r.exportedAtMs = 1700000000000;
    r.totalMessages = count;
    r.openCursor = [count] { return std::make_unique<GeneratedCursor>(count, fillNumbered); };
    return r;
}

std::string concat(const std::vector<std::string>& files) {
    std::string all;
    for (const auto& f : files) all += readFile(f);
    return all;
}

}  // namespace

/// The file names of `paths`, and checks that they all lie in one generation directory ".NAME.parts-GEN" of `dir`.
std::vector<std::string> partNames(const std::vector<std::string>& paths, const TempDir& dir, const std::string& name) {
    std::vector<std::string> names;
    for (const auto& p : paths) {
        const std::filesystem::path path(p);
        const auto generation = path.parent_path().filename().string();
        REQUIRE(path.parent_path().parent_path() == dir.path());
        REQUIRE(generation.rfind("." + name + ".parts-", 0) == 0);
        REQUIRE(generation.size() == name.size() + 8 + 16);
        names.push_back(path.filename().string());
    }
    return names;
}

TEST_CASE("Message-count parts are named STEM.part-NNNN.EXT and together equal the whole export") {
    const auto messages = goldenMessages();
    TempDir dir;
    auto whole = requestFor(messages, "ndjson", dir.file("whole.ndjson"));
    runExport(whole);
    auto parted = requestFor(messages, "ndjson", dir.file("chat.ndjson"));
    parted.partition = PartitionPolicy::messages(5);
    const auto summary = runExport(parted);
    REQUIRE(summary.messages == 18);
    REQUIRE(summary.index == dir.file("chat.ndjson"));
    REQUIRE(partNames(summary.files, dir, "chat.ndjson") ==
            std::vector<std::string>{"chat.part-0001.ndjson", "chat.part-0002.ndjson", "chat.part-0003.ndjson",
                                     "chat.part-0004.ndjson"});
    REQUIRE(countOccurrences(readFile(summary.files[0]), "\n") == 5);
    REQUIRE(countOccurrences(readFile(summary.files[3]), "\n") == 3);
    REQUIRE(concat(summary.files) == readFile(dir.file("whole.ndjson")));
    const auto generation = std::filesystem::path(summary.files[0]).parent_path().filename().string();
    REQUIRE(dir.entries() == std::vector<std::string>{generation, "chat.ndjson", "whole.ndjson"});
    REQUIRE(readFile(dir.file("chat.ndjson")).find("\"file\":\"" + generation + "/chat.part-0004.ndjson\"") !=
            std::string::npos);
}

TEST_CASE("CSV parts each start with the header row") {
    const auto messages = goldenMessages();
    TempDir dir;
    auto request = requestFor(messages, "csv", dir.file("chat.csv"));
    request.partition = PartitionPolicy::messages(10);
    request.formatOptions["excel"] = "";
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() == 2);
    for (const auto& file : summary.files)
        REQUIRE(readFile(file).rfind(std::string("\xEF\xBB\xBF") + "chat_id,mid,seq,", 0) == 0);
}

TEST_CASE("Size-limited parts stay near the limit, are never empty and lose nothing") {
    // Equal-size lines: every part but the last holds exactly as many as fit under the limit.
    TempDir dir;
    auto request = numberedRequest(1000, "ndjson", dir.file("n.ndjson"));
    request.openCursor = [] {
        return std::make_unique<GeneratedCursor>(1000, [](Message& m, std::uint64_t i) {
            fillNumbered(m, 1000 + i);  // same digit count: every line has the same length
            m.replyTo.reset();
        });
    };
    request.partition = PartitionPolicy::bytes(10 * 1024);
    const auto summary = runExport(request);
    const std::string all = concat(summary.files);
    const std::size_t lineSize = all.find('\n') + 1;
    REQUIRE(all.size() == 1000 * lineSize);
    const std::size_t perPart = (10 * 1024) / lineSize;
    REQUIRE(summary.files.size() == (1000 + perPart - 1) / perPart);
    for (std::size_t k = 0; k + 1 < summary.files.size(); ++k)
        REQUIRE(readFile(summary.files[k]).size() == perPart * lineSize);

    // A single message larger than the limit still gets its own part.
    TempDir dir2;
    std::vector<Message> big{textMessage("mid:1", 1, 1, "u", "n", std::string(5000, 'a')),
                             textMessage("mid:2", 2, 2, "u", "n", "small")};
    auto r2 = requestFor(big, "ndjson", dir2.file("b.ndjson"));
    r2.partition = PartitionPolicy::bytes(1024);
    REQUIRE(runExport(r2).files.size() == 2);
}

TEST_CASE("Partition none gives HTML one file whatever the size, though it would get parts by default") {
    TempDir dir;
    auto request = numberedRequest(5001, "html", dir.file("whole.html"));
    request.partition = PartitionPolicy::parse("none");
    REQUIRE(runExport(request).files == std::vector<std::string>{dir.file("whole.html")});
    REQUIRE(dir.entries() == std::vector<std::string>{"whole.html"});
    REQUIRE(countOccurrences(readFile(dir.file("whole.html")), "<div class=\"m\" id=") == 5001);
    request.partition = PartitionPolicy::parse("0");
    REQUIRE(runExport(request).files == std::vector<std::string>{dir.file("whole.html")});
}

TEST_CASE("HTML gets 5,000-message parts by default, but one file when everything fits") {
    TempDir dir;
    auto small = numberedRequest(5000, "html", dir.file("small.html"));
    REQUIRE(runExport(small).files == std::vector<std::string>{dir.file("small.html")});
    const std::string page = readFile(dir.file("small.html"));
    REQUIRE(page.find("<nav") == std::string::npos);

    auto big = numberedRequest(12001, "html", dir.file("big.html"));
    NumberedResolver resolver;
    big.replies = &resolver;
    const auto summary = runExport(big);
    REQUIRE(partNames(summary.files, dir, "big.html") ==
            std::vector<std::string>{"big.part-0001.html", "big.part-0002.html", "big.part-0003.html"});
    // big.html is the index: a link to each part with its message count.
    const std::string index = readFile(dir.file("big.html"));
    const auto generation = std::filesystem::path(summary.files[0]).parent_path().filename().string();
    REQUIRE(index.find("<a href=\"" + generation + "/big.part-0003.html\">big.part-0003.html</a>") !=
            std::string::npos);
    REQUIRE(countOccurrences(index, "(5,000 messages)</li>") == 2);
    REQUIRE(countOccurrences(index, "(2,001 messages)</li>") == 1);
    const std::string p1 = readFile(summary.files[0]), p2 = readFile(summary.files[1]), p3 = readFile(summary.files[2]);
    REQUIRE(countOccurrences(p1, "<div class=\"m\" id=") == 5000);
    REQUIRE(countOccurrences(p2, "<div class=\"m\" id=") == 5000);
    REQUIRE(countOccurrences(p3, "<div class=\"m\" id=") == 2001);
    // Previous/next links, top and bottom.
    REQUIRE(p1.find("rel=\"prev\"") == std::string::npos);
    REQUIRE(countOccurrences(p1, "<a rel=\"next\" href=\"big.part-0002.html\">") == 2);
    REQUIRE(countOccurrences(p2, "<a rel=\"prev\" href=\"big.part-0001.html\">") == 2);
    REQUIRE(countOccurrences(p2, "<a rel=\"next\" href=\"big.part-0003.html\">") == 2);
    REQUIRE(countOccurrences(p3, "<a rel=\"prev\" href=\"big.part-0002.html\">") == 2);
    REQUIRE(p3.find("rel=\"next\"") == std::string::npos);
    REQUIRE(countOccurrences(p2, "Part 2 of 3") == 2);
    // Replies link into the part that holds their target: 6000 -> 0 (part 1), 12000 -> 6000 (part 2).
    REQUIRE(p2.find("<a class=\"re\" href=\"big.part-0001.html#mid:C1.0\">") != std::string::npos);
    REQUIRE(p2.find("<a class=\"re\" href=\"big.part-0001.html#mid:C1.3999\">") != std::string::npos);  // 9999
    REQUIRE(p3.find("<a class=\"re\" href=\"big.part-0001.html#mid:C1.4000\">") != std::string::npos);  // 10000
    REQUIRE(p3.find("<a class=\"re\" href=\"big.part-0001.html#mid:C1.4999\">") != std::string::npos);  // 10999
    REQUIRE(p3.find("<a class=\"re\" href=\"big.part-0002.html#mid:C1.5000\">") != std::string::npos);  // 11000
    REQUIRE(p3.find("<a class=\"re\" href=\"big.part-0002.html#mid:C1.6000\">") != std::string::npos);  // 12000
    REQUIRE(countOccurrences(p3, "<a class=\"re\" href=\"big.part-000") == 2001);
}

TEST_CASE("A partition that holds everything in one part writes exactly the output path") {
    const auto messages = goldenMessages();
    TempDir dir;
    auto request = requestFor(messages, "html", dir.file("chat.html"));
    request.partition = PartitionPolicy::messages(100);
    const auto summary = runExport(request);
    REQUIRE(summary.files == std::vector<std::string>{dir.file("chat.html")});
    REQUIRE(summary.index.empty());
    REQUIRE(readFile(dir.file("chat.html")).find("<nav") == std::string::npos);
    REQUIRE(dir.entries() == std::vector<std::string>{"chat.html"});
}

TEST_CASE("An empty result is still a valid export") {
    const std::vector<Message> none;
    for (const ExportFormat* format : exportFormats()) {
        TempDir dir;
        const std::string path = dir.file("empty." + std::string(format->extension()));
        const auto summary = runExport(requestFor(none, std::string(format->name()), path));
        REQUIRE(summary.messages == 0);
        REQUIRE(summary.files == std::vector<std::string>{path});
        REQUIRE(dir.entries().size() == 1);
    }
}

TEST_CASE("A cursor that fails midway leaves no file behind, partitioned or not") {
    const auto messages = goldenMessages();
    for (const ExportFormat* format : exportFormats()) {
        for (bool partitioned : {false, true}) {
            TempDir dir;
            auto request = requestFor(messages, std::string(format->name()), dir.file("chat.out"));
            if (partitioned) request.partition = PartitionPolicy::messages(3);
            request.openCursor = [&messages] { return std::make_unique<VectorCursor>(messages, 13); };
            REQUIRE_THROWS_AS(runExport(request), StorageError);
            REQUIRE(dir.entries().empty());
        }
    }
}

TEST_CASE("A failed export leaves an existing file untouched") {
    const auto messages = goldenMessages();
    TempDir dir;
    writeFile(dir.file("chat.csv"), "previous export");
    auto request = requestFor(messages, "csv", dir.file("chat.csv"));
    request.openCursor = [&messages] { return std::make_unique<VectorCursor>(messages, 5); };
    REQUIRE_THROWS(runExport(request));
    REQUIRE(readFile(dir.file("chat.csv")) == "previous export");
    REQUIRE(dir.entries() == std::vector<std::string>{"chat.csv"});
    // And a successful one replaces it whole.
    runExport(requestFor(messages, "csv", dir.file("chat.csv")));
    REQUIRE(readFile(dir.file("chat.csv")).rfind("chat_id,", 0) == 0);
    REQUIRE(dir.entries() == std::vector<std::string>{"chat.csv"});
}

TEST_CASE("Missing directories above the output are created, mode 0755 less the umask, for one file and for parts") {
    const auto messages = goldenMessages();
    const mode_t umaskNow = ::umask(0);
    ::umask(umaskNow);
    for (const bool partitioned : {false, true}) {
        INFO(partitioned);
        TempDir dir;
        auto request = requestFor(messages, "ndjson", dir.file("a/b/chat.ndjson"));
        if (partitioned) request.partition = PartitionPolicy::messages(5);
        const auto summary = runExport(request);
        REQUIRE(summary.messages == messages.size());
        REQUIRE(std::filesystem::is_regular_file(dir.file("a/b/chat.ndjson")));
        for (const char* created : {"a", "a/b"}) {
            struct stat st {};
            REQUIRE(::stat(dir.file(created).c_str(), &st) == 0);
            REQUIRE((st.st_mode & 07777) == (0755 & ~umaskNow));
        }
    }
}

TEST_CASE("An output that cannot be written is an error naming the path, and nothing is left") {
    const auto messages = goldenMessages();
    SECTION("a path component that is a file: a usage error naming it") {
        TempDir dir;
        std::ofstream(dir.file("plain")) << "a file";
        const std::string path = dir.file("plain/sub/chat.csv");
        REQUIRE_THROWS_AS(runExport(requestFor(messages, "csv", path)), UsageError);
        REQUIRE_THROWS_WITH(runExport(requestFor(messages, "csv", path)),
                            Catch::Contains(dir.file("plain") + " is not a directory"));
        REQUIRE(dir.entries() == std::vector<std::string>{"plain"});
    }
    SECTION("read-only directory") {
        TempDir dir;
        std::filesystem::create_directory(dir.path() / "ro");
        std::filesystem::permissions(dir.path() / "ro",
                                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                         std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
        const std::string path = dir.file("ro/chat.html");
        auto attempt = [&]() -> bool {
            auto request = requestFor(messages, "html", path);
            request.partition = PartitionPolicy::messages(5);
            try {
                runExport(request);
            } catch (const Error& e) {
                return std::string(e.what()).find(dir.file("ro/chat.html")) != std::string::npos;
            }
            return false;
        };
        if (::geteuid() != 0) {
            REQUIRE(attempt());
        } else {
            // Root ignores permissions: run the export in a child that dropped to nobody.
            const pid_t child = ::fork();
            REQUIRE(child >= 0);
            if (child == 0) {
                const bool ok = ::setgid(65534) == 0 && ::setuid(65534) == 0 && attempt();
                ::_exit(ok ? 0 : 1);
            }
            int status = 0;
            ::waitpid(child, &status, 0);
            REQUIRE(WIFEXITED(status));
            REQUIRE(WEXITSTATUS(status) == 0);
        }
        std::filesystem::permissions(dir.path() / "ro", std::filesystem::perms::owner_all);
        REQUIRE(std::filesystem::is_empty(dir.path() / "ro"));
    }
    SECTION("the target is a directory") {
        for (bool partitioned : {false, true}) {
            TempDir dir;
            std::filesystem::create_directory(dir.path() / "chat.ndjson");
            auto request = requestFor(messages, "ndjson", dir.file("chat.ndjson"));
            if (partitioned) request.partition = PartitionPolicy::messages(5);
            REQUIRE_THROWS_WITH(runExport(request), Catch::Contains(dir.file("chat.ndjson")));
            REQUIRE(dir.entries() == std::vector<std::string>{"chat.ndjson"});  // only the obstacle
        }
    }
    SECTION("the parent is a file") {
        TempDir dir;
        writeFile(dir.file("file"), "x");
        const std::string path = dir.file("file/chat.json");
        REQUIRE_THROWS_WITH(runExport(requestFor(messages, "json", path)), Catch::Contains(path));
        REQUIRE(dir.entries() == std::vector<std::string>{"file"});
    }
}

TEST_CASE("Bad requests are usage errors") {
    const auto messages = goldenMessages();
    auto request = requestFor(messages, "csv", "-");
    request.partition = PartitionPolicy::messages(5);
    REQUIRE_THROWS_AS(runExport(request), UsageError);
    REQUIRE_THROWS_AS(runExport(requestFor(messages, "xml", "x.xml")), UsageError);
    auto noCursor = requestFor(messages, "csv", "x.csv");
    noCursor.openCursor = nullptr;
    REQUIRE_THROWS_AS(runExport(noCursor), UsageError);
}

TEST_CASE("Progress is reported as messages are written") {
    TempDir dir;
    auto request = numberedRequest(5000, "csv", dir.file("p.csv"));
    std::vector<std::uint64_t> seen;
    request.progress = [&](std::uint64_t n) { seen.push_back(n); };
    runExport(request);
    REQUIRE(seen == std::vector<std::uint64_t>{1024, 2048, 3072, 4096, 5000});
}

TEST_CASE("Exports stream: a 200,000-message HTML export keeps no per-message state") {
    TempDir dir;
    auto request = numberedRequest(200000, "html", dir.file("s.html"));
    NumberedResolver resolver;
    request.replies = &resolver;
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() == 40);
    REQUIRE(summary.messages == 200000);
    REQUIRE(readFile(summary.files.back()).find("id=\"mid:C1.199999\"") != std::string::npos);
}
