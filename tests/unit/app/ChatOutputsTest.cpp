#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/ChatOutputs.h"

using namespace okarchive;

namespace {

/// Whether `name` is one plain file name: no separator, no NUL or control byte, not "." or "..".
bool isPlainFileName(const std::string& name) {
    if (name.empty() || name == "." || name == "..") return false;
    for (unsigned char c : name)
        if (c == '/' || c < 0x20 || c == 0x7F) return false;
    return true;
}

}  // namespace

TEST_CASE("Each chat's file sits beside the output, named from the chat id when it is plain") {
    REQUIRE(outputForChat("out/chat.html", "chat:C3ecb9d02a600", true) == "out/chat.C3ecb9d02a600.html");
    REQUIRE(outputForChat("out/chat.html", "chat:C3ecb9d02a600", false) == "out/chat.html");
    REQUIRE(chatFileComponent("chat:A_b-9") == "A_b-9");
}

TEST_CASE("A hostile chat id never leaves the output directory and gives a short, stable name") {
    const std::string longId = "chat:" + std::string(5000, 'x');
    const std::string hostile[] = {"chat:../../../tmp/PWNED",
                                   longId,
                                   "chat:\x1b[2Jclear",
                                   "chat:a/b",
                                   std::string("chat:nul\0byte", 13),
                                   "chat:..",
                                   "chat:.",
                                   "chat:",
                                   "chat:\xD0\xAF"};
    for (const auto& id : hostile) {
        INFO(id.substr(0, 40));
        const auto component = chatFileComponent(id);
        REQUIRE(isPlainFileName(component));
        REQUIRE(component.size() <= 32 + 1 + 16);
        REQUIRE(chatFileComponent(id) == component);  // the same every time (and every run: no random seed)
        const auto path = std::filesystem::path(outputForChat("out/chat.html", id, true));
        REQUIRE(path.parent_path() == "out");
        REQUIRE(path.filename() == "chat." + component + ".html");
    }
    // Different ids that sanitise alike still get different names.
    REQUIRE(chatFileComponent("chat:a/b") != chatFileComponent("chat:a.b"));
    REQUIRE(chatFileComponent(longId) != chatFileComponent(longId + "y"));
    // Fixed values (FNV-1a 64 of the whole id, computed independently): the same on every machine and every run.
    REQUIRE(chatFileComponent("chat:a/b") == "ab-7c29f79b267c684b");
    REQUIRE(chatFileComponent("chat:../../../tmp/PWNED") == "tmpPWNED-cefede6a03eeb234");
}

TEST_CASE("A symlinked archive's journals beside the file it resolves to are protected before they exist") {
    std::string pattern = (std::filesystem::temp_directory_path() / "okarchive-protect-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()));
    const std::filesystem::path dir(pattern);
    std::filesystem::create_directory(dir / "real");
    std::ofstream(dir / "real/v.db") << "archive";
    std::filesystem::create_symlink(dir / "real/v.db", dir / "v.db");
    ProtectedPaths paths;
    protectArchive(paths, (dir / "v.db").string());
    for (const char* journal : {"-wal", "-shm", "-journal"}) {  // where SQLite puts them: beside real/v.db
        const auto hit = paths.match((dir / "real").string() + "/v.db" + journal);
        CHECK_THAT(hit, Catch::Contains("a file of the archive") && Catch::Contains(journal));
    }
    CHECK(paths.match((dir / "real/v.db.csv").string()).empty());
    std::filesystem::remove_all(dir);
}
