#pragma once

#include <optional>
#include <string>

namespace okarchive {

/// What GET /me/chats or /me/chat/chat:ID says about a chat.
struct ChatInfo {
    std::string chatId;  ///< "chat:..."
    std::string type;    ///< e.g. CHAT
    std::string status;  ///< e.g. ACTIVE
    std::string title;
    std::optional<std::string> ownerId;
    std::optional<long long> participantsCount;
    std::string rawJson;  ///< the chat object, verbatim

    bool operator==(const ChatInfo&) const = default;
};

}  // namespace okarchive
