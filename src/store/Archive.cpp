#include "store/Archive.h"

#include <algorithm>

#include "domain/TextFold.h"
#include "store/sqlite/SqliteArchive.h"

namespace okarchive {

std::unique_ptr<Archive> openArchive(const std::string& path, Env& env, ArchiveMode mode) {
    return std::make_unique<SqliteArchive>(path, env, mode);  // the place to choose another backend by URL
}

bool matchesQuery(const MessageQuery& query, const Message& m) {
    auto among = [](const std::vector<std::string>& set, const std::string& v) {
        return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
    };
    if (query.since && m.timestamp < *query.since) return false;
    if (query.until && m.timestamp >= *query.until) return false;
    if (!among(query.senders, m.senderId)) return false;
    if (query.kind && m.kind() != *query.kind) return false;
    if (!query.attachmentTypes.empty() &&
        std::none_of(m.attachments.begin(), m.attachments.end(),
                     [&](const Attachment& a) { return among(query.attachmentTypes, a.type); }))
        return false;
    if (query.contains && !(m.text && containsFolded(*m.text, foldCase(*query.contains)))) return false;
    return true;
}

}  // namespace okarchive
