#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "store/ArchiveLock.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::test::TempDir;

TEST_CASE("one holder at a time - the second is told who holds it - released on destruction") {
    TempDir dir;
    const auto db = dir.file("a.db");
    {
        ArchiveLock lock(db, "okarchive serve");
        // flock is per open file: a second lock in the same process conflicts just as another process would.
        REQUIRE_THROWS_WITH(ArchiveLock(db, "okarchive sync"), Catch::Contains("pid " + std::to_string(::getpid())) &&
                                                                   Catch::Contains("okarchive serve") &&
                                                                   Catch::Contains(db + ".lock"));
    }
    ArchiveLock again(db, "okarchive sync");
}

TEST_CASE("a lock left by a killed process is taken over") {
    TempDir dir;
    const auto db = dir.file("a.db");
    const pid_t child = ::fork();
    if (child == 0) {
        ArchiveLock lock(db, "okarchive serve");
        ::_exit(0);  // dies holding it, never running the destructor
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    std::ifstream in(db + ".lock");
    std::string left((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(left.find("pid " + std::to_string(child)) != std::string::npos);  // stale content stays...
    ArchiveLock lock(db, "okarchive sync");                                   // ...but the lock is free
}
