#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/VariadicBind.h>

#include "domain/ChatInfo.h"
#include "domain/Media.h"

namespace okarchive {

/// A nullable text column (byte count, not NUL-terminated).
inline std::optional<std::string> optionalText(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getString();
}

/// A nullable integer column.
inline std::optional<std::int64_t> optionalInt64(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getInt64();
}

/// Binds `value`, or NULL when there is none; size-aware: NUL bytes and invalid UTF-8 survive.
inline void bindOptional(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index);
}

/// Binds `value`, or NULL when there is none.
inline void bindOptional(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& value) {
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index);
}

/// The statement in `slot`, prepared from `sql` on first use: for lookups repeated once per sender or reply.
inline SQLite::Statement& preparedOnce(std::optional<SQLite::Statement>& slot, SQLite::Database& db, const char* sql) {
    if (!slot) slot.emplace(db, sql);
    return *slot;
}

/// The columns chat_id, type, status, title, owner_id, participants_count, raw_json of the chats table, in order.
inline constexpr const char* kChatColumns = "chat_id, type, status, title, owner_id, participants_count, raw_json";

/// The metadata in a row of kChatColumns (columns 0..6); nothing while no API call has described the chat.
std::optional<ChatInfo> chatInfoFromRow(SQLite::Statement& row);

/// The media table's columns state, sha256, bytes, mime, last_error (prefixed with `alias`.), in order.
std::string attachmentMediaColumns(const std::string& alias);
/// The AttachmentMedia in a row of attachmentMediaColumns starting at column `first`; nothing when state is NULL
/// (a LEFT JOIN found no entry).
std::optional<AttachmentMedia> attachmentMediaFromRow(SQLite::Statement& row, int first);

}  // namespace okarchive
