#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "store/Archive.h"
#include "store/ArchiveLock.h"
#include "unit/store/StoreTestSupport.h"
#include "domain/Errors.h"

using namespace okarchive;
using okarchive::test::TempDir;

namespace {

/// Runs `body` in a child process; its exit code (or -1 if it did not exit normally).
template <class F>
int inChild(F body) {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(body());
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("one holder at a time - the second is told who holds it - released on destruction") {
    TempDir dir;
    const auto db = dir.file("a.db");
    {
        ArchiveLock lock(db);
        // flock is per open file: a second lock in the same process conflicts just as another process would.
        REQUIRE_THROWS_WITH(ArchiveLock(db), Catch::Contains("pid " + std::to_string(::getpid())) &&
                                                 Catch::Contains("the archive " + db + " is in use"));
    }
    ArchiveLock again(db);
}

TEST_CASE("the lock is the database file itself: no lock file, and deleting one lets no second holder in") {
    TempDir dir;
    const auto db = dir.file("a.db");
    ArchiveLock lock(db);
    CHECK_FALSE(std::filesystem::exists(db + ".lock"));
    std::filesystem::remove(db + ".lock");  // what an operator tidying up would do
    REQUIRE_THROWS_AS(ArchiveLock(db), ArchiveLockedError);
    CHECK(inChild([&] {
              try {
                  ArchiveLock second(db);
                  return 0;
              } catch (const ArchiveLockedError&) {
                  return 4;
              }
          }) == 4);
}

TEST_CASE("SQLite's own locks are independent of the flock: another process reads and writes the locked archive") {
    TempDir dir;
    const auto db = dir.file("a.db");
    openArchive(db);  // the schema
    ArchiveLock lock(db);
    CHECK(inChild([&] {
              try {
                  const auto archive = openArchive(db);
                  archive->recordSyncRun({"chat:B", 1, 2, "ok", 0, 0, ""});
                  return archive->syncRuns("chat:B").size() == 1 ? 0 : 1;
              } catch (const std::exception&) {
                  return 2;
              }
          }) == 0);
    CHECK(openArchive(db)->syncRuns("chat:B").size() == 1);
}

TEST_CASE("a lock left by a killed process is taken over") {
    TempDir dir;
    const auto db = dir.file("a.db");
    REQUIRE(inChild([&] {
                ArchiveLock lock(db);
                ::_exit(0);  // dies holding it, never running the destructor
                return 1;
            }) == 0);
    ArchiveLock lock(db);
    CHECK(lock.held());
}

TEST_CASE("IfMissing::Skip neither creates nor locks a missing archive, Create makes the file SQLite fills") {
    TempDir dir;
    const auto db = dir.file("none.db");
    {
        ArchiveLock skipped(db, ArchiveLock::IfMissing::Skip);
        CHECK_FALSE(skipped.held());
    }
    CHECK(std::filesystem::is_empty(dir.path()));  // no stray none.db nor none.db.lock
    ArchiveLock created(db);
    CHECK(created.held());
    CHECK(openArchive(db)->archivedChatIds().empty());  // an empty file is a fine new archive
}

TEST_CASE("a FIFO or a directory as the archive is refused by name when locked or opened, never waited on") {
    TempDir dir;
    const auto fifo = dir.file("fifo.db");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // In a child with an alarm: the defect was an open(2) of the FIFO that never returned (sync hung for ever).
    const auto refusedByName = [&](auto attempt) {
        return inChild([&] {
            ::alarm(20);
            try {
                attempt();
                return 1;
            } catch (const StorageError& e) {
                const std::string what = e.what();
                return what.find(fifo) != std::string::npos && what.find("not a regular file") != std::string::npos ? 0
                                                                                                                    : 2;
            }
        });
    };
    CHECK(refusedByName([&] { ArchiveLock lock(fifo); }) == 0);
    CHECK(refusedByName([&] { openArchive(fifo, Env::system()); }) == 0);

    const auto directory = dir.file("dir.db");
    std::filesystem::create_directory(directory);
    CHECK_THROWS_WITH(ArchiveLock(directory), Catch::Contains(directory) && Catch::Contains("is a directory"));
    CHECK_THROWS_WITH(openArchive(directory, Env::system()),
                      Catch::Contains(directory) && Catch::Contains("is a directory") && !Catch::Contains("I/O"));
}
