#include "app/MediaVerify.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>

#include <fmt/format.h>

#include "domain/InertText.h"
#include "domain/Media.h"
#include "media/MediaStore.h"
#include "media/Sha256.h"

namespace okarchive {
namespace {

namespace fs = std::filesystem;

/// One file the ledger names, and the saved entries that name it.
struct LedgerFile {
    std::int64_t bytes = 0;
    std::vector<const MediaItem*> entries;
};

std::string entryName(const MediaItem& item) {
    return fmt::format("{} {} position {}", inertText(item.chatId), inertText(item.mid, 80), item.position);
}

void problem(MediaVerifyResult& result, std::string entry, std::string path, std::string what) {
    result.problems.push_back({std::move(entry), std::move(path), std::move(what)});
}

/// The files the saved entries name, by hash; an entry that names none (no valid hash or size) is a problem.
std::map<std::string, LedgerFile> ledgerFiles(const std::vector<MediaItem>& saved, MediaVerifyResult& result) {
    std::map<std::string, LedgerFile> files;
    for (const auto& item : saved) {
        ++result.entries;
        const auto& media = item.media;
        if (!isSha256Hex(media.sha256)) {
            problem(result, entryName(item), "",
                    fmt::format("saved, but its sha256 \"{}\" is not 64 lower-case hex digits",
                                inertText(media.sha256, 80)));
            continue;
        }
        if (!media.bytes) {
            problem(result, entryName(item), mediaStorePath(media.sha256), "saved, but the ledger holds no size");
            continue;
        }
        auto [it, added] = files.try_emplace(media.sha256, LedgerFile{*media.bytes, {}});
        if (!added && it->second.bytes != *media.bytes)
            problem(result, entryName(item), mediaStorePath(media.sha256),
                    fmt::format("the ledger says {} bytes here and {} for the same sha256 elsewhere", *media.bytes,
                                it->second.bytes));
        it->second.entries.push_back(&item);
    }
    result.files = static_cast<std::int64_t>(files.size());
    return files;
}

/// The ".tmp-*" files in the top directory: interrupted downloads, which the next sync sweeps.
std::int64_t countTemporaries(const std::string& directory) {
    std::int64_t count = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(directory, ec))
        count += entry.path().filename().string().rfind(".tmp-", 0) == 0;
    return count;
}

/// Every file under sha256/ that no saved entry names (name -> size); a file that is not a store file is a problem.
std::map<std::string, std::int64_t> unlistedFiles(const std::string& directory,
                                                  const std::map<std::string, LedgerFile>& listed,
                                                  MediaVerifyResult& result) {
    std::map<std::string, std::int64_t> unlisted;
    const fs::path top(directory);
    if (!fs::is_directory(top / "sha256")) return unlisted;
    for (const auto& entry : fs::recursive_directory_iterator(top / "sha256")) {
        const auto status = entry.symlink_status();
        if (fs::is_directory(status)) continue;
        const auto relative = entry.path().lexically_relative(top).generic_string();
        const auto name = entry.path().filename().string();
        const bool storeName = isSha256Hex(name) && relative == mediaStorePath(name);
        if (storeName && listed.contains(name)) continue;  // checked as the ledger's
        if (!fs::is_regular_file(status))
            problem(result, "", inertText(relative, 300), "not a regular file (a symlink, FIFO or device)");
        else if (!storeName)
            problem(result, "", inertText(relative, 300),
                    "not a media store file: its name is not a SHA-256 at its place (sha256/ab/cd/<64 hex>)");
        else
            unlisted.emplace(name, static_cast<std::int64_t>(entry.file_size()));
    }
    result.unlisted = static_cast<std::int64_t>(unlisted.size());
    return unlisted;
}

/// The names to re-hash: ceil(percent% of all), by a shuffle seeded with `seed` over the sorted names.
std::set<std::string> sampleOf(std::vector<std::string> names, const MediaVerifyOptions& options) {
    std::sort(names.begin(), names.end());
    std::mt19937_64 generator(options.seed);
    std::shuffle(names.begin(), names.end(), generator);
    const auto share = std::ceil(static_cast<double>(names.size()) * options.percent / 100);
    names.resize(std::min(names.size(), static_cast<std::size_t>(share)));
    return {names.begin(), names.end()};
}

/// What is wrong with the file `sha256` should be (`bytes` long), or nothing; re-hashed when `rehash`.
std::optional<std::string> fileProblem(const MediaStore* store, const std::string& directory, const std::string& sha256,
                                       std::int64_t bytes, bool rehash, MediaVerifyResult& result) {
    std::error_code ec;
    const fs::path path = fs::path(directory) / mediaStorePath(sha256);
    const auto status = fs::symlink_status(path, ec);
    if (!fs::exists(status)) return "missing";
    if (!fs::is_regular_file(status)) return "not a regular file (a symlink, FIFO or device)";
    const auto size = static_cast<std::int64_t>(fs::file_size(path, ec));
    if (size != bytes) return fmt::format("{} bytes, the ledger says {}", size, bytes);
    if (!rehash || !store) return std::nullopt;
    ++result.rehashed;
    result.rehashedBytes += bytes;
    switch (store->check(sha256, bytes)) {
        case MediaFileCheck::Intact: return std::nullopt;
        case MediaFileCheck::Missing: return "missing (removed while it was checked)";
        case MediaFileCheck::WrongSize: return "its size changed while it was checked";
        case MediaFileCheck::WrongHash: break;
    }
    return "its content does not hash to its name (changed or damaged since it was saved)";
}

}  // namespace

MediaVerifyResult verifyMedia(const std::vector<MediaItem>& saved, const std::string& directory,
                              const MediaVerifyOptions& options, const MediaVerifyProgress& progress) {
    MediaVerifyResult result;
    const auto files = ledgerFiles(saved, result);
    std::optional<MediaStore> store;  // none when the directory is missing: every file is, then
    std::map<std::string, std::int64_t> unlisted;
    if (fs::is_directory(directory)) {
        store.emplace(directory);
        if (options.wholeDirectory) unlisted = unlistedFiles(directory, files, result);
        result.temporaries = countTemporaries(directory);
    }
    std::vector<std::string> names;
    for (const auto& [name, file] : files) names.push_back(name);
    for (const auto& [name, size] : unlisted) names.push_back(name);
    const auto sample = sampleOf(names, options);
    const auto* checker = store ? &*store : nullptr;
    std::int64_t done = 0;
    for (const auto& [name, file] : files) {
        if (const auto what = fileProblem(checker, directory, name, file.bytes, sample.contains(name), result))
            for (const auto* item : file.entries) problem(result, entryName(*item), mediaStorePath(name), *what);
        if (progress) progress(result, ++done, static_cast<std::int64_t>(names.size()));
    }
    for (const auto& [name, size] : unlisted) {
        if (const auto what = fileProblem(checker, directory, name, size, sample.contains(name), result))
            problem(result, "", mediaStorePath(name), *what);
        if (progress) progress(result, ++done, static_cast<std::int64_t>(names.size()));
    }
    return result;
}

}  // namespace okarchive
