#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/ChatInfo.h"

namespace okarchive {

/// The archived chats and what is known about them.
class ChatCatalog {
public:
    virtual ~ChatCatalog() = default;

    virtual void upsertChat(const ChatInfo& info) = 0;       ///< metadata (earlier versions are kept in raw form)
    virtual void ensureChat(const std::string& chatId) = 0;  ///< a row for the chat, metadata unknown
    /// Chats archived successfully (a page committed or a sync that succeeded), ascending.
    virtual std::vector<std::string> archivedChatIds() = 0;
    /// Chats the catalog knows only from failed syncs (e.g. a mistyped --chat): never archived, ascending.
    virtual std::vector<std::string> neverArchivedChatIds() = 0;

    /// Whether the server's `from` bound includes its timestamp, as discovered for this chat (nothing if unknown).
    virtual std::optional<bool> fromBoundInclusive(const std::string& chatId) = 0;
    virtual void setFromBoundInclusive(const std::string& chatId, bool inclusive) = 0;
};

}  // namespace okarchive
