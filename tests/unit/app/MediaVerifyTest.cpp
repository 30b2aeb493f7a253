#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <set>

#include <Poco/SHA2Engine.h>

#include "app/MediaVerify.h"
#include "domain/Media.h"
#include "support/TempDir.h"

using namespace okarchive;
using okarchive::test::SharedTempDir;

namespace {

/// SHA-256 by Poco directly (independent of the media room's hasher).
std::string sha256Of(const std::string& content) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(content);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

/// A media directory with files stored as the store stores them, and the ledger's saved entries for them.
struct Store {
    SharedTempDir dir{"okarchive-verify"};
    std::string directory = dir.file("media");
    std::vector<MediaItem> saved;

    /// Stores `content` under its hash and adds a saved entry (chat, mid, position) for it.
    std::string save(const std::string& content, const std::string& mid, int position = 0,
                     const std::string& chat = "chat:A") {
        const auto hash = sha256Of(content);
        writeFile(std::filesystem::path(directory) / mediaStorePath(hash), content);
        entry(hash, static_cast<std::int64_t>(content.size()), mid, position, chat);
        return hash;
    }
    void entry(const std::string& hash, std::int64_t bytes, const std::string& mid, int position = 0,
               const std::string& chat = "chat:A") {
        MediaItem item;
        item.chatId = chat;
        item.mid = mid;
        item.position = position;
        item.type = "IMAGE";
        item.media = {MediaState::Saved, hash, bytes, "image/png", ""};
        saved.push_back(item);
    }
    std::filesystem::path pathOf(const std::string& hash) const {
        return std::filesystem::path(directory) / mediaStorePath(hash);
    }
    MediaVerifyResult verify(double percent = 100, std::uint64_t seed = 1) const {
        return verifyMedia(saved, directory, {percent, seed, true});
    }
};

std::vector<std::string> lines(const MediaVerifyResult& result) {
    std::vector<std::string> out;
    for (const auto& p : result.problems) out.push_back(p.entry + " | " + p.path + " | " + p.what);
    return out;
}

}  // namespace

TEST_CASE("media verify: intact files re-hashed, nothing to report") {
    Store store;
    store.save("first", "mid:1");
    store.save("second, longer", "mid:2", 1);
    store.save("first", "mid:3");  // the same content in another message: one file
    const auto result = store.verify();
    CHECK(result.problems.empty());
    CHECK(result.entries == 3);
    CHECK(result.files == 2);
    CHECK(result.rehashed == 2);
    CHECK(result.rehashedBytes == 5 + 14);
    CHECK(result.unlisted == 0);
}

TEST_CASE("media verify: a missing file is named for every entry that holds it, with its path") {
    Store store;
    const auto hash = store.save("gone soon", "mid:1");
    store.entry(hash, 9, "mid:2", 3, "chat:B");
    store.save("stays", "mid:3");
    std::filesystem::remove(store.pathOf(hash));
    const auto path = mediaStorePath(hash);
    CHECK(lines(store.verify()) == std::vector<std::string>{"chat:A mid:1 position 0 | " + path + " | missing",
                                                            "chat:B mid:2 position 3 | " + path + " | missing"});
}

TEST_CASE("media verify: a wrong size is found without re-hashing, a changed content by re-hashing") {
    Store store;
    const auto shorter = store.save("0123456789", "mid:1");
    const auto changed = store.save("abcdefghij", "mid:2");
    writeFile(store.pathOf(shorter), "01234");
    writeFile(store.pathOf(changed), "ABCDEFGHIJ");  // same size, other bytes
    const auto result = store.verify();
    REQUIRE(result.problems.size() == 2);
    const auto found = lines(result);
    const std::set<std::string> expected{
        "chat:A mid:1 position 0 | " + mediaStorePath(shorter) + " | 5 bytes, the ledger says 10",
        "chat:A mid:2 position 0 | " + mediaStorePath(changed) +
            " | its content does not hash to its name (changed or damaged since it was saved)"};
    CHECK(std::set<std::string>(found.begin(), found.end()) == expected);
}

TEST_CASE("media verify: files under sha256/ that no entry names are re-hashed against their name") {
    Store store;
    store.save("listed", "mid:1");
    const auto honest = sha256Of("unlisted but intact");
    writeFile(store.pathOf(honest), "unlisted but intact");
    const auto liar = sha256Of("what the name says");
    writeFile(store.pathOf(liar), "something else entirely");
    writeFile(std::filesystem::path(store.directory) / "sha256/ab/cd/not-a-hash", "x");
    const auto misplaced = sha256Of("misplaced");
    writeFile(std::filesystem::path(store.directory) / "sha256/00/00" / misplaced, "misplaced");
    writeFile(std::filesystem::path(store.directory) / ".tmp-123-abc", "partial");
    const auto result = store.verify();
    CHECK(result.unlisted == 2);
    CHECK(result.temporaries == 1);
    const auto found = lines(result);
    const auto notStoreFile = "not a media store file: its name is not a SHA-256 at its place (sha256/ab/cd/<64 hex>)";
    CHECK(std::set<std::string>(found.begin(), found.end()) ==
          std::set<std::string>{" | " + mediaStorePath(liar) +
                                    " | its content does not hash to its name (changed or damaged since it was saved)",
                                " | sha256/ab/cd/not-a-hash | " + std::string(notStoreFile),
                                " | sha256/00/00/" + misplaced + " | " + notStoreFile});
}

TEST_CASE("media verify: a FIFO or symlink in place of a file is named, never opened") {
    Store store;
    const auto fifo = store.save("will be a fifo", "mid:1");
    std::filesystem::remove(store.pathOf(fifo));
    REQUIRE(::mkfifo(store.pathOf(fifo).c_str(), 0600) == 0);
    const auto link = store.save("will be a link", "mid:2");
    std::filesystem::remove(store.pathOf(link));
    std::filesystem::create_symlink("/etc/hostname", store.pathOf(link));
    const auto found = lines(store.verify());
    CHECK(
        std::set<std::string>(found.begin(), found.end()) ==
        std::set<std::string>{
            "chat:A mid:1 position 0 | " + mediaStorePath(fifo) + " | not a regular file (a symlink, FIFO or device)",
            "chat:A mid:2 position 0 | " + mediaStorePath(link) + " | not a regular file (a symlink, FIFO or device)"});
    // One no entry names is named too.
    const auto stray = sha256Of("stray");
    std::filesystem::create_directories(store.pathOf(stray).parent_path());
    REQUIRE(::mkfifo(store.pathOf(stray).c_str(), 0600) == 0);
    const auto again = lines(store.verify());
    CHECK(std::count(again.begin(), again.end(),
                     " | " + mediaStorePath(stray) + " | not a regular file (a symlink, FIFO or device)") == 1);
    CHECK(again.size() == 3);
}

TEST_CASE("media verify: an entry whose sha256 is not a hash is named and names no path") {
    Store store;
    store.entry("../../../etc/passwd", 10, "mid:1");
    store.entry(sha256Of("x"), 1, "mid:2");
    store.saved.back().media.bytes.reset();
    CHECK(lines(store.verify()) ==
          std::vector<std::string>{
              "chat:A mid:1 position 0 |  | saved, but its sha256 \"../../../etc/passwd\" is not 64 lower-case hex "
              "digits",
              "chat:A mid:2 position 0 | " + mediaStorePath(sha256Of("x")) + " | saved, but the ledger holds no size"});
}

TEST_CASE("media verify: a missing media directory means every saved file is missing, and it is not created") {
    Store store;
    store.entry(sha256Of("never stored"), 12, "mid:1");
    CHECK(lines(store.verify()) == std::vector<std::string>{"chat:A mid:1 position 0 | " +
                                                            mediaStorePath(sha256Of("never stored")) + " | missing"});
    CHECK_FALSE(std::filesystem::exists(store.directory));
}

TEST_CASE("media verify --sample: re-hashes the share asked for, the same files for the same seed") {
    Store store;
    for (int i = 0; i < 40; ++i) {
        const auto content = "content number " + std::to_string(100 + i);
        const auto hash = store.save(content, "mid:" + std::to_string(i));
        writeFile(store.pathOf(hash), "CONTENT NUMBER " + std::to_string(100 + i));  // every file damaged alike
    }
    const auto tenPercent = store.verify(10, 7);
    CHECK(tenPercent.rehashed == 4);
    CHECK(tenPercent.problems.size() == 4);  // each re-hashed file is found damaged; the others pass size checks
    CHECK(lines(store.verify(10, 7)) == lines(tenPercent));
    CHECK(store.verify(2.5, 7).rehashed == 1);  // ceil: a sample is never empty
    CHECK(store.verify(100, 7).problems.size() == 40);
    bool anotherPick = false;  // some other seed picks other files (40 choose 4: the same pick is unlikely for all)
    for (std::uint64_t seed = 8; seed < 12 && !anotherPick; ++seed)
        anotherPick = lines(store.verify(10, seed)) != lines(tenPercent);
    CHECK(anotherPick);
}
