#include "app/ArchiveAccess.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "exporters/AtomicOutputFile.h"
#include "exporters/NdjsonExporter.h"

namespace okarchive {

std::unique_ptr<Archive> openExistingArchive(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw Error(fmt::format("archive {} does not exist: run okarchive sync first (or set archive.database)", path));
    return std::make_unique<Archive>(path);
}

void requireArchivedChat(Archive& archive, const std::string& chatId, const std::string& path) {
    const auto ids = archive.archivedChatIds();
    if (std::find(ids.begin(), ids.end(), chatId) == ids.end())
        throw Error(fmt::format("{} is not in the archive {}: run okarchive sync --chat={} first", chatId, path, chatId));
}

std::uint64_t exportNdjson(Archive& archive, const std::string& chatId, const std::string& output) {
    AtomicOutputFile file(output);
    NdjsonExporter exporter(file.stream());
    auto cursor = archive.openCursor({chatId, std::nullopt, std::nullopt});
    const auto count = exportMessages(*cursor, exporter);
    file.commit();
    return count;
}

}  // namespace okarchive
