#include "exporters/StaleOutputs.h"

#include <algorithm>
#include <cctype>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace okarchive {
namespace {

constexpr std::string_view kTemporary = ".tmp-";
constexpr std::string_view kGeneration = ".parts-";
constexpr std::size_t kTemporaryDigits = 8, kGenerationDigits = 16;

bool isHex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) && !std::isupper(c); });
}

/// The hex digits of `entry` if it is "." + name + infix + `digits` hex digits, else "".
std::string suffixOf(const std::string& entry, const std::string& name, std::string_view infix, std::size_t digits) {
    const std::size_t prefix = 1 + name.size() + infix.size();
    if (entry.size() != prefix + digits || entry[0] != '.' || entry.compare(1, name.size(), name) != 0 ||
        entry.compare(1 + name.size(), infix.size(), infix) != 0)
        return {};
    const auto hex = entry.substr(prefix);
    return isHex(hex) ? hex : std::string();
}

/// Generations the file at `target` names in its first few KB (an index or manifest names its own up front).
std::set<std::string> referencedGenerations(const std::string& target) {
    std::set<std::string> found;
    std::ifstream in(target, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    for (auto at = head.find(kGeneration); at != std::string::npos; at = head.find(kGeneration, at + 1)) {
        const auto hex = head.substr(at + kGeneration.size(), kGenerationDigits);
        if (hex.size() == kGenerationDigits && isHex(hex)) found.insert(hex);
    }
    return found;
}

/// Removes `path` (a file, or a directory tree) if it can be opened without following a link and locked.
void removeIfUnheld(const std::filesystem::path& path, bool directory) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (directory ? O_DIRECTORY : 0));
    if (fd < 0) return;
    if (tryLockExclusive(fd)) {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    ::close(fd);
}

}  // namespace

std::string temporaryNameFor(const std::string& fileName, unsigned random) {
    return fmt::format(".{}{}{:08x}", fileName, kTemporary, random);
}

std::string generationNameFor(const std::string& fileName, unsigned long long generation) {
    return fmt::format(".{}{}{:016x}", fileName, kGeneration, generation);
}

bool isOpenFileAt(int fd, const std::string& path) {
    struct stat a {};
    struct stat b {};
    return ::fstat(fd, &a) == 0 && ::lstat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool tryLockExclusive(int fd) { return ::flock(fd, LOCK_EX | LOCK_NB) == 0; }

void sweepStaleOutputs(const std::string& target) {
    const std::filesystem::path path(target);
    const auto name = path.filename().string();
    const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::optional<std::set<std::string>> kept;                  // read only when a generation is found
    std::vector<std::pair<std::filesystem::path, bool>> stale;  // removed after the listing: (path, directory)
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto entryName = entry.path().filename().string();
        if (!suffixOf(entryName, name, kTemporary, kTemporaryDigits).empty()) {
            stale.emplace_back(entry.path(), false);
            continue;
        }
        const auto generation = suffixOf(entryName, name, kGeneration, kGenerationDigits);
        if (generation.empty()) continue;
        if (!kept) kept = referencedGenerations(target);
        if (!kept->count(generation)) stale.emplace_back(entry.path(), true);
    }
    for (const auto& [stalePath, directory] : stale) removeIfUnheld(stalePath, directory);
}

}  // namespace okarchive
