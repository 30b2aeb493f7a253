// Where outputs land: symlinks, devices and FIFOs, permissions, protected files, stale leftovers, cancellation and
// the atomic publication of a partitioned set.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <future>
#include <iostream>
#include <thread>
#include <unistd.h>

#include "ExportTestSupport.h"
#include "GoldenFixture.h"
#include "domain/Env.h"
#include "domain/Json.h"
#include "domain/TimeFormat.h"
#include "exporters/AtomicOutputFile.h"
#include "exporters/ExportJob.h"
#include "exporters/ProtectedPaths.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

mode_t modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode;
}

mode_t currentUmask() {
    const mode_t mask = ::umask(022);
    ::umask(mask);
    return mask;
}

/// Everything written into the FIFO at `path` until its writer closes it (read on a thread of its own; the reading
/// end is opened before the writer starts, so the writer never finds the pipe without a reader).
class FifoReader {
public:
    explicit FifoReader(const std::string& path) : _fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {
        REQUIRE(_fd >= 0);
        _thread = std::thread([this] { drain(); });
    }
    ~FifoReader() {
        if (_thread.joinable()) _thread.join();
        ::close(_fd);
    }
    std::string text() {
        _thread.join();
        return _text;
    }

private:
    void drain() {
        for (bool seenData = false;;) {
            pollfd p{_fd, POLLIN, 0};
            if (::poll(&p, 1, 60000) <= 0) return;  // 60 s: only a writer that never comes
            char buf[65536];
            const auto n = ::read(_fd, buf, sizeof buf);
            if (n > 0) {
                _text.append(buf, static_cast<std::size_t>(n));
                seenData = true;
            } else if (n == 0 && (seenData || (p.revents & POLLHUP))) {
                return;
            }
        }
    }

    int _fd;
    std::string _text;
    std::thread _thread;
};

std::string exportedNdjson(const std::vector<Message>& messages) {
    TempDir dir;
    runExport(requestFor(messages, "ndjson", dir.file("reference.ndjson")));
    return readFile(dir.file("reference.ndjson"));
}

}  // namespace

TEST_CASE("A symlink to a regular file: the file it points to is replaced, the link stays a link") {
    const auto messages = goldenMessages();
    TempDir dir;
    std::filesystem::create_directory(dir.path() / "real");
    writeFile(dir.file("real/chat.ndjson"), "old");
    std::filesystem::create_symlink(dir.path() / "real/chat.ndjson", dir.path() / "link.ndjson");
    runExport(requestFor(messages, "ndjson", dir.file("link.ndjson")));
    REQUIRE(std::filesystem::is_symlink(dir.path() / "link.ndjson"));
    REQUIRE(readFile(dir.file("real/chat.ndjson")) == exportedNdjson(messages));
    REQUIRE(dir.entries() == std::vector<std::string>{"link.ndjson", "real"});
    REQUIRE(std::filesystem::directory_iterator(dir.path() / "real")->path().filename() == "chat.ndjson");
}

TEST_CASE("An existing file keeps its permission bits, a new one gets 0666 without the umask") {
    const auto messages = goldenMessages();
    TempDir dir;
    runExport(requestFor(messages, "csv", dir.file("new.csv")));
    REQUIRE((modeOf(dir.file("new.csv")) & 07777) == (0666 & ~currentUmask()));
    writeFile(dir.file("private.csv"), "old");
    ::chmod(dir.file("private.csv").c_str(), 0600);
    runExport(requestFor(messages, "csv", dir.file("private.csv")));
    REQUIRE((modeOf(dir.file("private.csv")) & 07777) == 0600);
    ::chmod(dir.file("private.csv").c_str(), 0640);
    runExport(requestFor(messages, "csv", dir.file("private.csv")));
    REQUIRE((modeOf(dir.file("private.csv")) & 07777) == 0640);
    REQUIRE(readFile(dir.file("private.csv")).rfind("chat_id,", 0) == 0);
}

TEST_CASE("A partitioned set over a private file keeps it private: its parts and their directory too") {
    const auto messages = goldenMessages();
    TempDir dir;
    writeFile(dir.file("chat.ndjson"), "old");
    ::chmod(dir.file("chat.ndjson").c_str(), 0600);
    auto request = requestFor(messages, "ndjson", dir.file("chat.ndjson"));
    request.partition = PartitionPolicy::messages(5);
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() == 4);
    REQUIRE((modeOf(dir.file("chat.ndjson")) & 07777) == 0600);
    REQUIRE((modeOf(std::filesystem::path(summary.files[0]).parent_path().string()) & 07777) == 0700);
    for (const auto& part : summary.files) REQUIRE((modeOf(part) & 07777) == 0600);
}

TEST_CASE("A FIFO is written in place: it stays a FIFO and gets the whole export, no temporary file") {
    const auto messages = goldenMessages();
    TempDir dir;
    REQUIRE(::mkfifo(dir.file("pipe").c_str(), 0600) == 0);
    FifoReader reader(dir.file("pipe"));
    runExport(requestFor(messages, "ndjson", dir.file("pipe")));
    REQUIRE(reader.text() == exportedNdjson(messages));
    REQUIRE(S_ISFIFO(modeOf(dir.file("pipe"))));
    REQUIRE(dir.entries() == std::vector<std::string>{"pipe"});
}

TEST_CASE("A FIFO nobody reads is refused at once, naming it") {
    const auto messages = goldenMessages();
    TempDir dir;
    REQUIRE(::mkfifo(dir.file("pipe").c_str(), 0600) == 0);
    REQUIRE_THROWS_WITH(runExport(requestFor(messages, "ndjson", dir.file("pipe"))), Catch::Contains(dir.file("pipe")));
    REQUIRE(dir.entries() == std::vector<std::string>{"pipe"});
}

TEST_CASE("A character device is written in place and stays a device") {
    const auto messages = goldenMessages();
    TempDir dir;
    // As root: a null device node of our own (never the real /dev); as anyone else: /dev/null itself.
    std::string device = "/dev/null";
    if (::geteuid() == 0) {
        device = dir.file("null");
        REQUIRE(::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0);
    }
    const auto summary = runExport(requestFor(messages, "html", device));
    REQUIRE(summary.messages == messages.size());
    REQUIRE(S_ISCHR(modeOf(device)));
    REQUIRE(dir.entries() == (::geteuid() == 0 ? std::vector<std::string>{"null"} : std::vector<std::string>{}));
    auto partitioned = requestFor(messages, "html", device);
    partitioned.partition = PartitionPolicy::messages(5);
    REQUIRE_THROWS_AS(runExport(partitioned), UsageError);
}

TEST_CASE("Standard output redirected into the archive (1<> v.db) is refused, and the archive stays intact") {
    const auto messages = goldenMessages();
    TempDir dir;
    writeFile(dir.file("v.db"), "the archive");
    ProtectedPaths paths;
    paths.addFile(dir.file("v.db"), "the archive database");
    auto request = requestFor(messages, "ndjson", "-");
    request.protectedPaths = &paths;
    std::cout.flush();
    const int saved = ::dup(STDOUT_FILENO), archive = ::open(dir.file("v.db").c_str(), O_WRONLY | O_CLOEXEC);
    REQUIRE((saved >= 0 && archive >= 0));
    REQUIRE(::dup2(archive, STDOUT_FILENO) == STDOUT_FILENO);
    std::string refusal;
    try {
        runExport(request);
    } catch (const UsageError& e) {
        refusal = e.what();
    }
    ::dup2(saved, STDOUT_FILENO);  // before any REQUIRE prints
    ::close(saved);
    ::close(archive);
    CHECK_THAT(refusal, Catch::Contains("standard output") && Catch::Contains(dir.file("v.db")));
    REQUIRE(readFile(dir.file("v.db")) == "the archive");
    request.outputPath = dir.file("copy.ndjson");  // the guard still lets a file elsewhere be written
    REQUIRE(runExport(request).messages == messages.size());
}

TEST_CASE("An output that resolves to a protected file is refused naming both, and the file stays intact") {
    const auto messages = goldenMessages();
    TempDir dir;
    writeFile(dir.file("v.db"), "the archive");
    std::filesystem::create_directory(dir.path() / "sub");
    std::filesystem::create_symlink(dir.path() / "v.db", dir.path() / "link.ndjson");
    std::filesystem::create_hard_link(dir.path() / "v.db", dir.path() / "hard.ndjson");
    ProtectedPaths paths;
    paths.addFile(dir.file("v.db"), "the archive database");
    paths.addFile(dir.file("v.db-wal"), "a file of the archive");
    paths.addDirectory(dir.file("v.db.media"), "the archive's media directory");
    for (const auto& output : {dir.file("v.db"), dir.file("link.ndjson"), dir.file("hard.ndjson"),
                               dir.file("sub/../v.db"), dir.path().string() + "/./v.db", dir.file("v.db-wal"),
                               dir.file("v.db.media/x.ndjson"), dir.file("v.db.media")}) {
        for (bool partitioned : {false, true}) {
            INFO(output << (partitioned ? " partitioned" : ""));
            auto request = requestFor(messages, "ndjson", output);
            request.protectedPaths = &paths;
            if (partitioned) request.partition = PartitionPolicy::messages(5);
            REQUIRE_THROWS_MATCHES(
                runExport(request), UsageError, Catch::Matchers::Predicate<UsageError>([&](const UsageError& e) {
                    const std::string what = e.what();
                    return what.find(output) != std::string::npos && what.find(dir.file("v.db")) != std::string::npos;
                }));
        }
    }
    REQUIRE(readFile(dir.file("v.db")) == "the archive");
    REQUIRE(dir.entries() == std::vector<std::string>{"hard.ndjson", "link.ndjson", "sub", "v.db"});
    // Beside them, other names are fine.
    auto fine = requestFor(messages, "ndjson", dir.file("v.ndjson"));
    fine.protectedPaths = &paths;
    REQUIRE(runExport(fine).messages == messages.size());
}

TEST_CASE("Stale temporaries and part sets of the same output are swept, a live writer's never") {
    const auto messages = goldenMessages();
    TempDir dir;
    writeFile(dir.file(".chat.ndjson.tmp-deadbeef"), "left by a killed export");
    std::filesystem::create_directory(dir.path() / ".chat.ndjson.parts-0123456789abcdef");
    writeFile(dir.file(".chat.ndjson.parts-0123456789abcdef/chat.part-0001.ndjson"), "a killed set");
    writeFile(dir.file(".chat.ndjson.tmp-cafebabe"), "a live writer's");
    writeFile(dir.file(".other.ndjson.tmp-12345678"), "another output's");
    writeFile(dir.file(".chat.ndjson.tmp-notahexx"), "not a temporary name");
    const int live = ::open(dir.file(".chat.ndjson.tmp-cafebabe").c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(::flock(live, LOCK_EX) == 0);
    runExport(requestFor(messages, "ndjson", dir.file("chat.ndjson")));
    ::close(live);
    REQUIRE(dir.entries() == std::vector<std::string>{".chat.ndjson.tmp-cafebabe", ".chat.ndjson.tmp-notahexx",
                                                      ".other.ndjson.tmp-12345678", "chat.ndjson"});
}

TEST_CASE("A cancelled export throws Cancelled and leaves the previous output untouched") {
    const auto messages = goldenMessages();
    for (bool partitioned : {false, true}) {
        TempDir dir;
        writeFile(dir.file("chat.ndjson"), "previous");
        Cancellation cancel;
        auto request = requestFor(messages, "ndjson", dir.file("chat.ndjson"));
        if (partitioned) request.partition = PartitionPolicy::messages(5);
        request.cancellation = &cancel;
        request.progress = [&](std::uint64_t) {};
        std::size_t seen = 0;
        request.openCursor = [&] {
            // The cancellation comes after a few messages, as a signal would.
            return std::make_unique<GeneratedCursor>(messages.size(), [&](Message& m, std::uint64_t i) {
                m = messages[i];
                if (++seen == 7) cancel.cancel();
            });
        };
        REQUIRE_THROWS_AS(runExport(request), Cancelled);
        REQUIRE(readFile(dir.file("chat.ndjson")) == "previous");
        REQUIRE(dir.entries() == std::vector<std::string>{"chat.ndjson"});
    }
}

TEST_CASE("A partitioned set is published by its manifest, and a smaller re-export leaves no stale part") {
    const auto messages = goldenMessages();  // 18 messages
    TempDir dir;
    const auto reference = exportedNdjson(messages);
    auto checkSet = [&](std::size_t perPart, const ExportSummary& summary) {
        REQUIRE(summary.index == dir.file("chat.ndjson"));
        const auto doc = JsonDocument::parse(readFile(dir.file("chat.ndjson")));
        const auto& parts = doc.root().find("parts")->items();
        REQUIRE(parts.size() == (messages.size() + perPart - 1) / perPart);
        REQUIRE(summary.files.size() == parts.size());
        std::string all;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto file = dir.file(parts[i].find("file")->asString());
            REQUIRE(file == summary.files[i]);
            const auto text = readFile(file);
            REQUIRE(static_cast<std::int64_t>(countOccurrences(text, "\n")) == parts[i].find("messages")->asInt64());
            all += text;
        }
        REQUIRE(all == reference);
        REQUIRE(parts.front().find("first")->asString() == formatIsoUtc(messages.front().timestamp));
        REQUIRE(parts.back().find("last")->asString() == formatIsoUtc(messages.back().timestamp));
        const auto entries = dir.entries();
        REQUIRE(entries.size() == 2);  // the generation the manifest names, and the manifest
        REQUIRE(entries[0] + "/" + std::filesystem::path(summary.files[0]).filename().string() ==
                parts.front().find("file")->asString());
    };
    auto request = requestFor(messages, "ndjson", dir.file("chat.ndjson"));
    request.partition = PartitionPolicy::messages(5);
    checkSet(5, runExport(request));
    request.partition = PartitionPolicy::messages(10);
    checkSet(10, runExport(request));
    // One file again: the set is gone, the output is exactly the path.
    request.partition = {};
    REQUIRE(runExport(request).index.empty());
    REQUIRE(dir.entries() == std::vector<std::string>{"chat.ndjson"});
    REQUIRE(readFile(dir.file("chat.ndjson")) == reference);
}

TEST_CASE("A FIFO whose reader stopped reading does not hold a stop: the write ends as Cancelled") {
    TempDir dir;
    const auto fifo = dir.file("out.ndjson");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);  // open, but it never reads
    REQUIRE(reader >= 0);
    Cancellation stop;
    AtomicOutputFile file(fifo, {.cancellation = &stop});
    const std::string chunk(1 << 20, 'x');  // far more than the pipe holds
    file.stream().write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto finished = std::async(std::launch::async, [&] {
        try {
            file.finish();
            return std::string("finished");
        } catch (const Cancelled& e) {
            return std::string(e.what());
        }
    });
    stop.cancel();  // before or after the writer blocked: the same outcome
    const bool ended = finished.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
    if (!ended)  // a bug: drain the pipe so the blocked writer returns and the test can report it
        for (char buf[65536]; finished.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready;)
            (void)!::read(reader, buf, sizeof buf);
    REQUIRE(ended);
    CHECK_THAT(finished.get(), Catch::Contains("stopped") && Catch::Contains(fifo));
    file.discard();
    ::close(reader);
    REQUIRE(isSpecialFile(fifo));
}
