#pragma once

#include <memory>
#include <string>

#include "store/Archive.h"

namespace okarchive {

/// Opens an archive that must already exist (export, status): never creates an empty one by mistake.
std::unique_ptr<Archive> openExistingArchive(const std::string& path);

/// Throws Error unless the archive holds `chatId`.
void requireArchivedChat(Archive& archive, const std::string& chatId, const std::string& path);

/// Writes the NDJSON dump of one chat to `output` ("-" = stdout) atomically; returns the message count.
std::uint64_t exportNdjson(Archive& archive, const std::string& chatId, const std::string& output);

}  // namespace okarchive
