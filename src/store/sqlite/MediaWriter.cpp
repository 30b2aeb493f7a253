#include "store/sqlite/MediaWriter.h"

#include <optional>
#include <vector>

#include "domain/MediaLink.h"
#include "store/sqlite/StatementUse.h"

namespace okarchive {

struct MediaWriter::Entry {
    int position = 0;
    std::string identity;
    std::string url;
};

namespace {

/// The media of each attachment of `message`, by position (nothing where it has none).
std::vector<std::optional<MediaSource>> sourcesOf(const Message& message) {
    std::vector<std::optional<MediaSource>> sources;
    sources.reserve(message.attachments.size());
    for (const auto& attachment : message.attachments)
        sources.push_back(mediaSource(attachment.type, attachment.payloadJson));
    return sources;
}

void bindKey(SQLite::Statement& statement, const std::string& chatId, const std::string& mid, int position) {
    statement.bind(1, chatId);
    statement.bind(2, mid);
    statement.bind(3, position);
}

}  // namespace

MediaWriter::MediaWriter(SQLite::Database& db)
    : _start(db,
             "INSERT INTO media (chat_id, mid, position, type, identity, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
             "ON CONFLICT (chat_id, mid, position) DO UPDATE SET type = excluded.type, identity = excluded.identity, "
             "url = excluded.url, state = 'pending', http_status = NULL, bytes = NULL, mime = NULL, sha256 = NULL, "
             "attempts = 0, refreshes = 0, last_error = NULL, first_try_at = NULL, last_try_at = NULL"),
      _entries(db, "SELECT position, identity, url FROM media WHERE chat_id = ?1 AND mid = ?2 ORDER BY position"),
      _relink(db,
              "UPDATE media SET url = ?4, state = CASE WHEN state IN ('saved', 'skipped_policy') THEN state "
              "ELSE 'pending' END WHERE chat_id = ?1 AND mid = ?2 AND position = ?3"),
      _keepRevision(db,
                    "INSERT INTO media_revisions (chat_id, mid, position, type, identity, url, state, bytes, mime, "
                    "sha256, last_error, replaced_at) SELECT chat_id, mid, position, type, identity, url, state, "
                    "bytes, mime, sha256, last_error, ?4 FROM media WHERE chat_id = ?1 AND mid = ?2 AND position = ?3"),
      _remove(db, "DELETE FROM media WHERE chat_id = ?1 AND mid = ?2 AND position = ?3") {}

void MediaWriter::addNew(const std::string& chatId, const Message& message) {
    const auto sources = sourcesOf(message);
    for (std::size_t position = 0; position < sources.size(); ++position) {
        if (sources[position]) start(chatId, message, static_cast<int>(position), *sources[position]);
    }
}

void MediaWriter::follow(const std::string& chatId, const Message& message, std::int64_t nowMs) {
    auto sources = sourcesOf(message);
    std::vector<Entry> entries;
    {
        StatementUse read(_entries);
        read->bind(1, chatId);
        read->bind(2, message.mid);
        while (read->executeStep())
            entries.push_back(
                {read->getColumn(0).getInt(), read->getColumn(1).getString(), read->getColumn(2).getString()});
    }
    for (const auto& entry : entries) {
        const auto index = static_cast<std::size_t>(entry.position);
        auto* source = index < sources.size() && sources[index] ? &*sources[index] : nullptr;
        if (source && source->identity == entry.identity) {
            if (source->url != entry.url) relink(chatId, message.mid, entry.position, source->url);
        } else {
            keepRevision(chatId, message.mid, entry.position, nowMs);
            if (source)
                start(chatId, message, entry.position, *source);
            else
                remove(chatId, message.mid, entry.position);
        }
        if (index < sources.size()) sources[index].reset();  // handled
    }
    for (std::size_t position = 0; position < sources.size(); ++position) {
        if (sources[position]) start(chatId, message, static_cast<int>(position), *sources[position]);
    }
}

void MediaWriter::start(const std::string& chatId, const Message& message, int position, const MediaSource& source) {
    StatementUse use(_start);
    bindKey(*use, chatId, message.mid, position);
    use->bind(4, message.attachments[static_cast<std::size_t>(position)].type);
    use->bind(5, source.identity);
    use->bind(6, source.url);
    use->exec();
}

void MediaWriter::relink(const std::string& chatId, const std::string& mid, int position, const std::string& url) {
    StatementUse use(_relink);
    bindKey(*use, chatId, mid, position);
    use->bind(4, url);
    use->exec();
}

void MediaWriter::keepRevision(const std::string& chatId, const std::string& mid, int position, std::int64_t nowMs) {
    StatementUse use(_keepRevision);
    bindKey(*use, chatId, mid, position);
    use->bind(4, nowMs);
    use->exec();
}

void MediaWriter::remove(const std::string& chatId, const std::string& mid, int position) {
    StatementUse use(_remove);
    bindKey(*use, chatId, mid, position);
    use->exec();
}

}  // namespace okarchive
