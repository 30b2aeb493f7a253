#include "exporters/ProtectedPaths.h"

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

/// The absolute path with every symlink and `..` of its existing part resolved.
std::filesystem::path canonicalPath(const std::string& path) {
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(path, ec);
    auto resolved = std::filesystem::weakly_canonical(absolute, ec);
    return ec ? absolute.lexically_normal() : resolved;
}

bool sameFile(const std::string& a, const std::string& b) {
    struct stat sa {};
    struct stat sb {};
    if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return canonicalPath(a) == canonicalPath(b);
}

bool inside(const std::string& path, const std::string& directory) {
    const auto dir = canonicalPath(directory), file = canonicalPath(path);
    auto f = file.begin();
    for (auto d = dir.begin(); d != dir.end(); ++d, ++f) {
        if (d->empty() && std::next(d) == dir.end()) break;  // a trailing separator
        if (f == file.end() || *f != *d) return false;
    }
    return true;
}

}  // namespace

void ProtectedPaths::addFile(const std::string& path, const std::string& what) {
    if (!path.empty()) _entries.push_back({path, what, false});
}

void ProtectedPaths::addDirectory(const std::string& path, const std::string& what) {
    if (!path.empty()) _entries.push_back({path, what, true});
}

std::string ProtectedPaths::match(const std::string& path) const {
    for (const auto& e : _entries)
        if (e.directory ? inside(path, e.path) : sameFile(path, e.path)) return fmt::format("{} {}", e.what, e.path);
    return {};
}

void ProtectedPaths::check(const std::string& outputPath) const {
    struct stat out {};
    if (outputPath == "-" && (::fstat(STDOUT_FILENO, &out) != 0 || !S_ISREG(out.st_mode))) return;
    // Standard output redirected into a protected file (>> v.db, 1<> v.db) is that file: seen through its fd link.
    const auto& path = outputPath == "-" ? fmt::format("/proc/self/fd/{}", STDOUT_FILENO) : outputPath;
    if (const auto hit = match(path); !hit.empty())
        throw UsageError(
            fmt::format("refusing to write {}: it is {}, which the output would destroy; choose another --output",
                        outputPath == "-" ? "standard output (-)" : outputPath, hit));
}

}  // namespace okarchive
