#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include "app/Settings.h"
#include "domain/Errors.h"

using namespace okarchive;

namespace {

/// The token Settings reads when api.access_token_file is `path` (and no other token is set).
std::string tokenFrom(const std::string& path) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    config->setString("api.base_url", "http://127.0.0.1:1/graph");
    config->setString("api.timeout_ms", "30000");
    config->setString("api.max_retries", "5");
    config->setString("api.access_token_file", path);
    return Settings(*config).api().accessToken;
}

struct TempDir {
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "okarchive-token-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()));
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::filesystem::path path;
};

}  // namespace

TEST_CASE("api.access_token_file: the first line of a regular file is the token") {
    TempDir dir;
    const auto file = (dir.path / "token").string();
    std::ofstream(file) << "  tkn-123  \nsecond line\n";
    CHECK(tokenFrom(file) == "tkn-123");
}

TEST_CASE("api.access_token_file: a directory is refused as a directory, not as empty") {
    TempDir dir;
    CHECK_THROWS_WITH(tokenFrom(dir.path.string()), Catch::Contains("api.access_token_file") &&
                                                        Catch::Contains(dir.path.string()) &&
                                                        Catch::Contains("is a directory") && !Catch::Contains("empty"));
}

TEST_CASE("api.access_token_file: a device or a FIFO is refused without reading it") {
    // /dev/zero would feed an unbounded first line; a FIFO nobody writes would block forever.
    CHECK_THROWS_WITH(tokenFrom("/dev/zero"), Catch::Contains("/dev/zero") && Catch::Contains("not a regular file"));
    TempDir dir;
    const auto fifo = (dir.path / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(tokenFrom(fifo), Catch::Contains("fifo") && Catch::Contains("not a regular file"));
}

TEST_CASE("api.access_token_file: at most 4 KiB are read, and a first line longer than that is refused") {
    TempDir dir;
    const auto file = (dir.path / "huge").string();
    std::ofstream(file) << std::string(1u << 20, 'a');
    CHECK_THROWS_WITH(tokenFrom(file), Catch::Contains("no line break in its first 4096 bytes"));
    const auto fits = (dir.path / "fits").string();
    std::ofstream(fits) << std::string(4000, 'b') << "\n" << std::string(1u << 20, 'c');
    CHECK(tokenFrom(fits) == std::string(4000, 'b'));
}

TEST_CASE("api.access_token_file: an empty or missing file is named") {
    TempDir dir;
    const auto empty = (dir.path / "empty").string();
    std::ofstream{empty};
    CHECK_THROWS_WITH(tokenFrom(empty), Catch::Contains("is empty"));
    CHECK_THROWS_WITH(tokenFrom((dir.path / "missing").string()),
                      Catch::Contains("missing") && Catch::Contains("cannot be read"));
}
