#include "store/Archive.h"

#include <algorithm>

#include <unistd.h>

#include "domain/TextFold.h"
#include "store/StoreErrors.h"
#include "store/sqlite/SqliteArchive.h"

namespace okarchive {

std::unique_ptr<Archive> openArchive(const std::string& path, Env& env, ArchiveMode mode) {
    try {
        return std::make_unique<SqliteArchive>(path, env, mode);  // the place to choose another backend by URL
    } catch (const ArchiveSchemaBehind&) {
        // An archive of an older okarchive, read by a user who may write it: upgrade it first, as any command did.
        if (::access(path.c_str(), W_OK) != 0) throw;
        { SqliteArchive upgrade(path, env, ArchiveMode::ReadWrite); }
        return std::make_unique<SqliteArchive>(path, env, mode);
    }
}

bool matchesQuery(const MessageQuery& query, const Message& m) {
    auto among = [](const std::vector<std::string>& set, const std::string& v) {
        return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
    };
    auto amongTypes = [](const std::vector<std::string>& set, const std::string& type) {  // types ignore case
        return std::any_of(set.begin(), set.end(),
                           [&](const std::string& t) { return equalsIgnoringAsciiCase(t, type); });
    };
    if (query.since && m.timestamp < *query.since) return false;
    if (query.until && m.timestamp >= *query.until) return false;
    if (!among(query.senders, m.senderId)) return false;
    if (query.kind && m.kind() != *query.kind) return false;
    if (!query.attachmentTypes.empty() &&
        std::none_of(m.attachments.begin(), m.attachments.end(),
                     [&](const Attachment& a) { return amongTypes(query.attachmentTypes, a.type); }))
        return false;
    if (query.contains && !(m.text && containsFolded(*m.text, foldCase(*query.contains)))) return false;
    if (query.edited && m.editedAtMs.has_value() != *query.edited) return false;
    if (query.deleted && m.deletedObservedAtMs.has_value() != *query.deleted) return false;
    return true;
}

}  // namespace okarchive
