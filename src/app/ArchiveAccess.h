#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "domain/Env.h"
#include "exporters/ExportJob.h"
#include "store/Archive.h"

namespace okarchive {

/// Opens an archive that must already exist (export, status): never creates an empty one by mistake. ReadOnly for the
/// commands that only read (status, export, report): they work for users who may not write the archive.
std::unique_ptr<Archive> openExistingArchive(const std::string& path, ArchiveMode mode);

/// Throws Error unless the archive holds `chatId`.
void requireArchivedChat(Archive& archive, const std::string& chatId, const std::string& path);

/// The chats a command asked for (`--chat`, repeatable, or `all`), each checked to be a chat id held by the archive.
/// `all` leaves out the chats no sync of which ever succeeded (a mistyped id, a first sync that failed), naming each
/// on `err` ("skipped chat:X: never synced successfully"); named explicitly, such a chat is still given.
std::vector<std::string> resolveArchivedChats(Archive& archive, const std::vector<std::string>& requested,
                                              const std::string& path, std::ostream& err);

/// Exports the messages of `query` with the format, output and options of `request`: counts and reads in one
/// snapshot, fills in the chat's title, the reply lookups and user names from the archive. Returns what was written.
ExportSummary exportFromArchive(Archive& archive, const MessageQuery& query, ExportRequest request, const Env& env);

}  // namespace okarchive
