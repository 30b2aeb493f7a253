#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "GoldenFixture.h"
#include "domain/TimeZone.h"
#include "exporters/ExportJob.h"
#include "support/TestPaths.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

/// Exports the golden archive in `format` and compares it byte for byte with tests/fixtures/export-golden/NAME.
/// OKARCHIVE_UPDATE_GOLDEN=1 rewrites the file instead (then inspect the diff by eye before committing).
void checkGolden(const std::string& format, const std::string& name, bool withResolver) {
    const auto messages = goldenMessages();
    TempDir dir;
    auto request = requestFor(messages, format, dir.file(name));
    request.timeZone = TimeZone::load("Europe/Moscow");
    request.filterJson = R"({"since":"2017-06-27","kind":null})";
    VectorReplyResolver resolver(messages);
    if (withResolver) request.replies = &resolver;
    request.userName = [](const std::string& id) -> std::optional<std::string> {
        if (id == "user:100000000004") return std::string("Anna");
        return std::nullopt;
    };
    auto summary = runExport(request);
    REQUIRE(summary.files == std::vector<std::string>{dir.file(name)});
    REQUIRE(summary.messages == messages.size());
    const std::string actual = readFile(dir.file(name));
    const std::string goldenPath = okarchive::test::fixturesDir() + "/export-golden/" + name;
    if (const char* update = std::getenv("OKARCHIVE_UPDATE_GOLDEN"); update && *update == '1') {
        std::filesystem::create_directories(std::filesystem::path(goldenPath).parent_path());
        writeFile(goldenPath, actual);
        WARN("rewrote " << goldenPath);
    }
    const std::string expected = readFile(goldenPath);
    REQUIRE(actual.size() == expected.size());
    REQUIRE(actual == expected);
}

}  // namespace

TEST_CASE("Golden NDJSON export of the fixed archive") { checkGolden("ndjson", "chat.ndjson", true); }
TEST_CASE("Golden JSON export of the fixed archive") { checkGolden("json", "chat.json", true); }
TEST_CASE("Golden CSV export of the fixed archive in Moscow time") { checkGolden("csv", "chat.csv", true); }
TEST_CASE("Golden HTML export of the fixed archive in Moscow time") { checkGolden("html", "chat.html", true); }
TEST_CASE("Golden txt export of the fixed archive in Moscow time") { checkGolden("txt", "chat.txt", true); }
TEST_CASE("Golden Telegram JSON export of the fixed archive in Moscow time") {
    checkGolden("telegram-json", "chat.telegram.json", true);
}
