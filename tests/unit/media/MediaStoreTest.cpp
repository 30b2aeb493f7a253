#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "domain/Errors.h"
#include "domain/Media.h"
#include "media/MediaStore.h"
#include "media/Sha256.h"
#include "unit/media/MediaTestDir.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

std::string store(MediaStore& media, const std::string& content) {
    MediaStoreWrite write(media);
    write.append(content.data(), content.size());
    return write.commit();
}

/// A pid no process has now: a child that has exited and been reaped.
pid_t deadPid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

}  // namespace

TEST_CASE("A committed file lives under its SHA-256 with mode 0640 and nothing else is left", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store() + "/nested/deeper");
    const std::string content = "\x89PNG pretend image bytes";
    const std::string hex = store(media, content);
    CHECK(hex == sha256Hex(content));
    const std::string relative = "sha256/" + hex.substr(0, 2) + "/" + hex.substr(2, 2) + "/" + hex;
    CHECK(media.pathOf(hex) == dir.store() + "/nested/deeper/" + relative);
    CHECK(readFile(media.pathOf(hex)) == content);
    CHECK(MediaTestDir::filesUnder(media.directory()) == std::vector<std::string>{relative});
    struct stat info {};
    REQUIRE(::stat(media.pathOf(hex).c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0640);
    CHECK(media.holds(hex, static_cast<std::int64_t>(content.size())));
    CHECK_FALSE(media.holds(hex, static_cast<std::int64_t>(content.size()) + 1));
}

TEST_CASE("The same content stored twice is one file", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    const std::string first = store(media, "same bytes");
    const std::string second = store(media, "same bytes");
    CHECK(first == second);
    CHECK(MediaTestDir::filesUnder(media.directory()).size() == 1);
}

TEST_CASE("A write never committed leaves only its temporary file while open and nothing after", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    {
        MediaStoreWrite write(media);
        write.append("partial", 7);
        const auto files = MediaTestDir::filesUnder(media.directory());
        REQUIRE(files.size() == 1);
        CHECK(files.front().rfind(".tmp-" + std::to_string(::getpid()) + "-", 0) == 0);
    }
    CHECK(MediaTestDir::filesUnder(media.directory()).empty());
}

TEST_CASE(
    "sweepTemporaries removes temporaries of dead processes, of an earlier process with this pid and old ones, "
    "nothing else",
    "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    const std::string top = media.directory() + "/";
    MediaStoreWrite inFlight(media);
    const std::string mine = MediaTestDir::filesUnder(media.directory()).at(0);
    const std::string old = mine + "-old";
    const std::string dead = ".tmp-" + std::to_string(deadPid()) + "-0123456789abcdef-0123456789abcdef";
    // This pid, but written by an earlier process that had it (a restarted container's PID 1): not in flight here.
    const std::string reused = ".tmp-" + std::to_string(::getpid()) + "-0123456789abcdef-0123456789abcdef";
    for (const auto& name : {old, dead, reused, std::string(".tmp-garbage"), std::string("keep.txt")})
        writeFile(top + name, "x");
    std::filesystem::last_write_time(top + old, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
    const std::string saved = store(media, "saved content");
    CHECK(media.sweepTemporaries() == 4);  // old, dead, reused and the one whose pid does not parse
    const auto left = MediaTestDir::filesUnder(media.directory());
    CHECK(left == std::vector<std::string>{mine, "keep.txt", mediaStorePath(saved)});
}

TEST_CASE("check tells intact, missing, wrong-size and wrong-hash files apart", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    const std::string content = "the real content";
    const std::string hex = store(media, content);
    const auto size = static_cast<std::int64_t>(content.size());
    CHECK(media.check(hex, size) == MediaFileCheck::Intact);
    CHECK(media.check(sha256Hex("never stored"), 3) == MediaFileCheck::Missing);
    CHECK(media.check(hex, size + 1) == MediaFileCheck::WrongSize);
    writeFile(media.pathOf(hex), "the fake content");  // same size, other bytes
    CHECK(media.check(hex, size) == MediaFileCheck::WrongHash);
    writeFile(media.pathOf(hex), "cut");
    CHECK(media.check(hex, size) == MediaFileCheck::WrongSize);
}

TEST_CASE("A damaged file under a hash is replaced by the right content on the next commit", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    const std::string hex = store(media, "good bytes");
    writeFile(media.pathOf(hex), "bad");
    CHECK(store(media, "good bytes") == hex);
    CHECK(media.check(hex, 10) == MediaFileCheck::Intact);
    writeFile(media.pathOf(hex), "evil bytes");  // the same size: only a re-hash tells
    CHECK(store(media, "good bytes") == hex);
    CHECK(media.check(hex, 10) == MediaFileCheck::Intact);
    CHECK(MediaTestDir::filesUnder(media.directory()).size() == 1);
}

TEST_CASE("The store names no path but a SHA-256 and refuses a directory it cannot write", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    CHECK_THROWS_AS(media.pathOf("../../etc/passwd"), StorageError);
    CHECK_THROWS_AS(media.check("../../etc/passwd", 1), StorageError);
    writeFile(dir.path() + "/plain-file", "x");
    CHECK_THROWS_WITH(MediaStore(dir.path() + "/plain-file/media"), Catch::Contains("plain-file"));
}

TEST_CASE("check never follows a link or blocks on a FIFO, and a commit replaces them with the file", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    const std::string content = "linked content";
    const std::string hex = sha256Hex(content);
    const std::string outside = dir.file("outside");
    writeFile(outside, content);
    const std::string path = media.pathOf(hex);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::filesystem::create_symlink(outside, path);
    CHECK(media.check(hex, static_cast<std::int64_t>(content.size())) == MediaFileCheck::WrongHash);
    CHECK_FALSE(media.holds(hex, static_cast<std::int64_t>(content.size())));
    CHECK(store(media, content) == hex);
    CHECK(std::filesystem::is_regular_file(std::filesystem::symlink_status(path)));
    CHECK(media.check(hex, static_cast<std::int64_t>(content.size())) == MediaFileCheck::Intact);
    CHECK(readFile(outside) == content);  // the link's target was never written
    const std::string fifoHex = sha256Hex("fifo");
    std::filesystem::create_directories(std::filesystem::path(media.pathOf(fifoHex)).parent_path());
    REQUIRE(::mkfifo(media.pathOf(fifoHex).c_str(), 0600) == 0);
    CHECK(media.check(fifoHex, 4) == MediaFileCheck::WrongHash);  // at once: nobody writes that FIFO
}

TEST_CASE("A link in place of a directory inside the store is refused, nothing is written through it", "[store]") {
    MediaTestDir dir;
    MediaStore media(dir.store());
    const std::string outside = dir.file("outside");
    std::filesystem::create_directories(outside);
    std::filesystem::create_directory_symlink(outside, dir.store() + "/sha256");
    CHECK_THROWS_WITH(store(media, "through a link"), Catch::Contains(dir.store() + "/sha256 is not a directory"));
    CHECK(std::filesystem::is_empty(outside));
    CHECK(MediaTestDir::filesUnder(dir.store()).empty());  // nor a temporary file left behind
}
