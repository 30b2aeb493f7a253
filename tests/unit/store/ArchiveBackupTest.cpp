// okarchive backup's store side: a copy of one snapshot while another connection writes, verified before it is moved
// into place; refused outputs; a failed verification leaves nothing and keeps an existing file.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "domain/Errors.h"
#include "store/Archive.h"
#include "store/ArchiveBackup.h"
#include "store/ArchiveCheck.h"
#include "unit/store/SqliteTestSupport.h"

using namespace okarchive;
using okarchive::test::makeMessage;
using okarchive::test::TempDir;

namespace {

constexpr std::int64_t kT0 = 1'600'000'000'000;

/// `count` messages of `chat` from `first` on, 1 KiB of text each, with the coverage they prove.
void commitMessages(Archive& archive, const std::string& chat, int first, int count) {
    std::vector<Message> page;
    for (int i = first; i < first + count; ++i)
        page.push_back(makeMessage(chat, "mid:" + std::to_string(i), kT0 + i, i, std::string(1024, 'm')));
    archive.commitPage(chat, page, {{kT0 + first, kT0 + first + count - 1}});
}

std::string bytesOf(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

/// The names in `dir` but the archive's own files, to see that nothing (no temporary copy) was left behind.
std::vector<std::string> namesIn(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().filename().string().rfind("archive.db", 0) != 0) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("a backup taken while another connection commits between its steps is the snapshot it began with",
          "[store][backup]") {
    TempDir dir;
    const auto path = dir.file("archive.db");
    auto writer = openArchive(path);
    commitMessages(*writer, "chat:A", 0, 8000);  // ~10 MiB: many steps of the copy
    int steps = 0, committed = 0;
    std::int64_t lastDone = -1;
    bool restarted = false;
    BackupOptions options;
    options.progress = [&](const BackupProgress& p) {
        restarted = restarted || p.done < lastDone;
        lastDone = p.done;
        if (++steps <= 3) commitMessages(*writer, "chat:A", 8000 + 100 * committed++, 100);  // serve goes on writing
    };
    const auto result = backupArchive(path, dir.file("copy.db"), options);
    REQUIRE(committed == 3);
    CHECK_FALSE(restarted);
    CHECK(result.messages == 8000);
    CHECK(result.bytes == std::filesystem::file_size(dir.file("copy.db")));
    CHECK(writer->messageCount("chat:A") == 8300);
    const auto copy = openArchive(dir.file("copy.db"), Env::system(), ArchiveMode::ReadOnly);
    CHECK(copy->messageCount("chat:A") == 8000);
    CHECK(copy->coverage("chat:A").ranges() == std::vector<TimeRange>{{kT0, kT0 + 7999}});
    CHECK(checkArchive(dir.file("copy.db")).empty());
}

TEST_CASE("backup refuses the archive itself, its -wal and -shm, and standard output, naming both files",
          "[store][backup]") {
    TempDir dir;
    const auto path = dir.file("archive.db");
    commitMessages(*openArchive(path), "chat:A", 0, 10);
    const auto before = bytesOf(path);
    for (const std::string suffix : {"", "-wal", "-shm"}) {
        INFO(suffix);
        CHECK_THROWS_AS(backupArchive(path, path + suffix), UsageError);
        CHECK_THROWS_WITH(backupArchive(path, path + suffix),
                          Catch::Contains("--output=" + path + suffix) && Catch::Contains("own file " + path + suffix));
    }
    CHECK_THROWS_AS(backupArchive(path, dir.path().string() + "/./archive.db"), UsageError);
    CHECK_THROWS_WITH(backupArchive(path, dir.path().string() + "/./archive.db"),
                      Catch::Contains("archive's own file"));
    CHECK_THROWS_AS(backupArchive(path, "-"), UsageError);
    CHECK_THROWS_WITH(backupArchive(path, "-"), Catch::Contains("a database is a file"));
    CHECK_THROWS_AS(backupArchive(dir.file("missing.db"), dir.file("copy.db")), UsageError);
    CHECK_THROWS_WITH(backupArchive(dir.file("missing.db"), dir.file("copy.db")),
                      Catch::Contains(dir.file("missing.db")));
    CHECK(bytesOf(path) == before);
}

TEST_CASE("a backup that fails verification leaves no file and keeps an existing one untouched", "[store][backup]") {
    TempDir dir;
    const auto path = dir.file("archive.db");
    commitMessages(*openArchive(path), "chat:A", 0, 50);
    BackupOptions options;
    options.beforeVerify = [](const std::string& copyPath) {  // the copy lost a message on its way to disk
        SQLite::Database(copyPath, SQLite::OPEN_READWRITE).exec("DELETE FROM messages WHERE mid = 'mid:7'");
    };
    const auto namesBefore = namesIn(dir.path());
    SECTION("no file before") {
        CHECK_THROWS_AS(backupArchive(path, dir.file("copy.db"), options), StorageError);
        CHECK_THROWS_WITH(backupArchive(path, dir.file("copy.db"), options),
                          Catch::Contains("49 messages instead of 50") && Catch::Contains(dir.file("copy.db")));
        CHECK(namesIn(dir.path()) == namesBefore);
    }
    SECTION("an earlier backup") {
        { std::ofstream(dir.file("copy.db")) << "the previous backup"; }
        const auto namesWithPrevious = namesIn(dir.path());
        CHECK_THROWS_AS(backupArchive(path, dir.file("copy.db"), options), StorageError);
        CHECK(bytesOf(dir.file("copy.db")) == "the previous backup");
        CHECK(namesIn(dir.path()) == namesWithPrevious);
    }
}

TEST_CASE("a backup replaces an earlier one once verified and leaves no -wal or temporary file", "[store][backup]") {
    TempDir dir;
    const auto path = dir.file("archive.db");
    auto writer = openArchive(path);
    commitMessages(*writer, "chat:A", 0, 20);
    { std::ofstream(dir.file("copy.db")) << "the previous backup"; }
    const auto result = backupArchive(path, dir.file("copy.db"));
    CHECK(result.messages == 20);
    CHECK(result.path == dir.file("copy.db"));
    CHECK_FALSE(std::filesystem::exists(dir.file("copy.db-wal")));
    CHECK_FALSE(std::filesystem::exists(dir.file("copy.db-shm")));
    for (const auto& name : namesIn(dir.path())) CHECK(name.find(".tmp-") == std::string::npos);
    CHECK(openArchive(dir.file("copy.db"), Env::system(), ArchiveMode::ReadOnly)->messageCount("chat:A") == 20);
}
