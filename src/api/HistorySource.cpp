#include "api/HistorySource.h"

#include <fmt/format.h>

#include "api/GraphClient.h"
#include "api/MessageDecoder.h"

namespace okarchive {

std::vector<Message> GraphHistorySource::fetch(const std::string& chatId, const HistoryRequest& request) {
    QueryParams params;
    if (request.from) params.emplace_back("from", std::to_string(*request.from));
    params.emplace_back("to", std::to_string(request.to));
    params.emplace_back("count", std::to_string(request.count));
    if (_includeDeleted) params.emplace_back("include_deleted", "true");
    JsonDocument page = _client.getPage("/me/messages/" + GraphClient::segment(chatId), params);
    try {
        return decodeMessagePage(page.root(), chatId);
    } catch (const JsonParseError& e) {  // a well-formed answer we cannot use: final for this request
        throw ApiError(_client.redact(fmt::format("GET /me/messages/{}: unusable history page: {}", chatId, e.what())),
                       0, 200);
    }
}

}  // namespace okarchive
