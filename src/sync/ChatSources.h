#pragma once

#include <string>
#include <vector>

#include "api/ChatDirectory.h"
#include "api/HistorySource.h"
#include "domain/ChatInfo.h"

namespace okarchive {

class GraphClient;

/// What a sync reads from the API: history pages and chat metadata. GraphChatSources is the real one; tests script
/// their own.
class ChatSources : public HistorySource {
public:
    virtual ChatInfo describe(const std::string& chatId) = 0;  ///< GET /me/chat/chat:ID
    virtual std::vector<ChatInfo> listChats() = 0;             ///< GET /me/chats, every page
};

/// ChatSources over the Graph API client.
class GraphChatSources final : public ChatSources {
public:
    /// `includeDeleted`: sync.include_deleted (GraphHistorySource).
    explicit GraphChatSources(GraphClient& client, bool includeDeleted = false)
        : _history(client, includeDeleted), _directory(client) {}
    std::vector<Message> fetch(const std::string& chatId, const HistoryRequest& request) override {
        return _history.fetch(chatId, request);
    }
    ChatInfo describe(const std::string& chatId) override { return _directory.chat(chatId); }
    std::vector<ChatInfo> listChats() override { return _directory.listChats(); }

private:
    GraphHistorySource _history;
    ChatDirectory _directory;
};

}  // namespace okarchive
