#pragma once

// A fresh directory under the system's temporary directory, removed with everything in it at scope exit (meant as
// the one copy: the store, exporters and integration tests still carry their own).

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace okarchive::test {

class SharedTempDir {
public:
    explicit SharedTempDir(const std::string& prefix = "okarchive-test") {
        static std::atomic<int> counter{0};
        std::random_device random;
        _path = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(counter++) + "-" + std::to_string(random()));
        std::filesystem::create_directories(_path);
    }
    ~SharedTempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(_path, ignored);
    }
    SharedTempDir(const SharedTempDir&) = delete;
    SharedTempDir& operator=(const SharedTempDir&) = delete;

    std::string path() const { return _path.string(); }
    std::string file(const std::string& name) const { return (_path / name).string(); }

    /// Every regular file below `dir` (hidden ones too), relative to it, sorted.
    static std::vector<std::string> filesUnder(const std::string& dir) {
        std::vector<std::string> out;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
            if (entry.is_regular_file()) out.push_back(std::filesystem::relative(entry.path(), dir).string());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    std::filesystem::path _path;
};

}  // namespace okarchive::test
