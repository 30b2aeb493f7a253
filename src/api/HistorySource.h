#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Message.h"

namespace okarchive {

class GraphClient;

/// One GET /me/messages/chat:ID request. `from` absent = the API default (newest).
struct HistoryRequest {
    std::optional<std::int64_t> from;
    std::int64_t to = 0;
    int count = 100;
};

/// Where pages of history come from: the real API, or a scripted server in tests.
class HistorySource {
public:
    virtual ~HistorySource() = default;
    /// The page as the server sent it (newest first). Throws ApiError and subclasses.
    virtual std::vector<Message> fetch(const std::string& chatId, const HistoryRequest& request) = 0;
};

/// HistorySource over a GraphClient: GET /me/messages/chat:ID?from=&to=&count=, and &include_deleted=true when
/// `includeDeleted` (sync.include_deleted: the API then also returns deleted messages, flagged "deleted": true).
class GraphHistorySource : public HistorySource {
public:
    explicit GraphHistorySource(GraphClient& client, bool includeDeleted = false)
        : _client(client), _includeDeleted(includeDeleted) {}
    std::vector<Message> fetch(const std::string& chatId, const HistoryRequest& request) override;

private:
    GraphClient& _client;
    bool _includeDeleted;
};

}  // namespace okarchive
