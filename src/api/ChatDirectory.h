#pragma once

#include <string>
#include <vector>

#include "domain/ChatInfo.h"

namespace okarchive {

class GraphClient;

/// The bot's chats: GET /me/chats (marker paging), GET /me/chat/chat:ID, and POST of a text message.
class ChatDirectory {
public:
    explicit ChatDirectory(GraphClient& client) : _client(client) {}
    std::vector<ChatInfo> listChats();                                  ///< every chat, following `marker` to the end
    ChatInfo chat(const std::string& chatId);                           ///< one chat's metadata
    void postText(const std::string& chatId, const std::string& text);  ///< POST /me/messages/chat:ID

private:
    GraphClient& _client;
};

}  // namespace okarchive
