#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

namespace okarchive::test {

/// A fresh directory under the system's temporary directory, removed with everything in it when destroyed.
struct TempDir {
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "okarchive-app-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()));
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path / name).string(); }

    std::filesystem::path path;
};

}  // namespace okarchive::test
