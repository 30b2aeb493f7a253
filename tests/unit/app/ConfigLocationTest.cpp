#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "app/ConfigLocation.h"

using namespace okarchive;

namespace {

/// defaultConfigFile() over a made-up environment and a made-up set of existing files.
std::string lookup(const std::map<std::string, std::string>& environment, const std::set<std::string>& files) {
    return defaultConfigFile(
        [&](const char* name) -> const char* {
            const auto it = environment.find(name);
            return it == environment.end() ? nullptr : it->second.c_str();
        },
        [&](const std::string& path) { return files.count(path) != 0; });
}

}  // namespace

TEST_CASE("the system settings file is okarchive/okarchive.ini under the configured sysconfdir") {
    const auto system = systemConfigFile();
    CHECK(system.size() > std::string("/okarchive/okarchive.ini").size());
    CHECK(system.front() == '/');
    CHECK(system.substr(system.size() - 24) == "/okarchive/okarchive.ini");
}

TEST_CASE("without any file, no settings file is read") {
    CHECK(lookup({{"HOME", "/home/a"}}, {}).empty());
    CHECK(lookup({}, {}).empty());
}

TEST_CASE("the system file is read when it exists and the user has none") {
    CHECK(lookup({{"HOME", "/home/a"}}, {systemConfigFile()}) == systemConfigFile());
}

TEST_CASE("the user's file wins over the system's: XDG_CONFIG_HOME, else HOME/.config") {
    const std::set<std::string> files{systemConfigFile(), "/x/okarchive/okarchive.ini",
                                      "/home/a/.config/okarchive/okarchive.ini"};
    CHECK(lookup({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "/x"}}, files) == "/x/okarchive/okarchive.ini");
    CHECK(lookup({{"HOME", "/home/a"}}, files) == "/home/a/.config/okarchive/okarchive.ini");
    // The XDG base directory specification says a relative XDG_CONFIG_HOME is invalid and to be ignored.
    CHECK(lookup({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "rel"}}, files) ==
          "/home/a/.config/okarchive/okarchive.ini");
}

TEST_CASE("OKARCHIVE_CONFIG names the file whether or not it exists, ahead of every other") {
    const std::set<std::string> files{systemConfigFile(), "/home/a/.config/okarchive/okarchive.ini"};
    CHECK(lookup({{"HOME", "/home/a"}, {"OKARCHIVE_CONFIG", "/dev/null"}}, files) == "/dev/null");
    CHECK(lookup({{"OKARCHIVE_CONFIG", "/missing.ini"}}, files) == "/missing.ini");
}
