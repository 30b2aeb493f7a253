#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "store/ArchiveLock.h"
#include "support/ManualEnv.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::test::TempDir;

TEST_CASE("one holder at a time - the second is told who holds it and since when - released on destruction") {
    TempDir dir;
    const auto db = dir.file("a.db");
    test::ManualEnv env;
    env.setWallBase(1'700'000'000'000);  // 2023-11-14 22:13:20 UTC
    {
        ArchiveLock lock(db, "okarchive serve", env);
        // flock is per open file: a second lock in the same process conflicts just as another process would.
        REQUIRE_THROWS_WITH(ArchiveLock(db, "okarchive sync", env),
                            Catch::Contains("pid " + std::to_string(::getpid())) &&
                                Catch::Contains("okarchive serve") && Catch::Contains("since 2023-11-14T22:13:20") &&
                                Catch::Contains(db + ".lock"));
    }
    ArchiveLock again(db, "okarchive sync", env);
}

TEST_CASE("a lock left by a killed process is taken over") {
    TempDir dir;
    const auto db = dir.file("a.db");
    const pid_t child = ::fork();
    if (child == 0) {
        ArchiveLock lock(db, "okarchive serve", Env::system());
        ::_exit(0);  // dies holding it, never running the destructor
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    std::ifstream in(db + ".lock");
    std::string left((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(left.find("pid " + std::to_string(child)) != std::string::npos);  // stale content stays...
    ArchiveLock lock(db, "okarchive sync", Env::system());                    // ...but the lock is free
}
