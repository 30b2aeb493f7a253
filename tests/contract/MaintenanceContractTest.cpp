// backupArchive and checkArchive by the archive's path: every backend copies one moment and checks its own archive.
#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "store/ArchiveBackup.h"
#include "store/ArchiveCheck.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::contract::freshBackend;
using okarchive::test::makeMessage;

TEST_CASE("a backup holds the archive's messages and coverage, and both check healthy", "[contract][maintenance]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage("chat:M", {makeMessage("chat:M", "mid:1", 100, 1), makeMessage("chat:M", "mid:2", 200, 2)},
                        {{0, 200}});
    archive->recordSyncRun({"chat:M", 1, 2, "ok", 2, 1, ""});
    CHECK(checkArchive(archive->path()).empty());

    test::TempDir dir;
    const auto result = backupArchive(archive->path(), dir.file("backup"));
    CHECK(result.messages == 2);
    CHECK(result.bytes > 0);
    archive->commitPage("chat:M", {makeMessage("chat:M", "mid:3", 300, 3)}, {{201, 300}});  // after the backup
    const auto copy = openArchive(result.path, Env::system(), ArchiveMode::ReadOnly);
    CHECK(copy->messageCount("chat:M") == 2);
    CHECK(copy->coverage("chat:M").ranges() == std::vector<TimeRange>{{0, 200}});
    CHECK(checkArchive(result.path).empty());
}
