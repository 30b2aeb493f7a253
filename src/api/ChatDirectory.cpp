#include "api/ChatDirectory.h"

#include <set>

#include <fmt/format.h>

#include "api/GraphClient.h"
#include "api/MessageDecoder.h"
#include "domain/JsonWriter.h"

namespace okarchive {
namespace {

ChatInfo decodeChatOrThrow(GraphClient& client, const JsonValue& object, const std::string& what) {
    try {
        return decodeChat(object);
    } catch (const JsonParseError& e) {
        throw ApiError(client.redact(fmt::format("{}: unusable chat object: {}", what, e.what())), 0, 200);
    }
}

}  // namespace

std::vector<ChatInfo> ChatDirectory::listChats() {
    std::vector<ChatInfo> chats;
    std::set<std::string> seenMarkers;
    std::string marker;
    for (;;) {
        QueryParams params{{"count", "100"}};
        if (!marker.empty()) params.emplace_back("marker", marker);
        JsonDocument page = _client.get("/me/chats", params);
        const JsonValue& root = page.root();
        if (!root.isObject()) throw ApiError("GET /me/chats: the answer is not a JSON object", 0, 200);
        if (const JsonValue* list = root.find("chats"); list && !list->isNull()) {
            if (!list->isArray()) throw ApiError("GET /me/chats: \"chats\" is not an array", 0, 200);
            for (const JsonValue& chat : list->items())
                chats.push_back(decodeChatOrThrow(_client, chat, "GET /me/chats"));
        }
        const JsonValue* next = root.find("marker");
        if (!next || next->isNull()) break;
        marker = next->isString() ? next->asString() : std::string(next->raw());
        if (marker.empty()) break;
        if (!seenMarkers.insert(marker).second)
            throw ApiError(fmt::format("GET /me/chats: the server returned the marker \"{}\" twice; stopping to avoid "
                                       "an endless loop (after {} chats)",
                                       _client.redact(marker), chats.size()),
                           0, 200);
    }
    return chats;
}

ChatInfo ChatDirectory::chat(const std::string& chatId) {
    JsonDocument doc = _client.get("/me/chat/" + chatId, {});
    const JsonValue& root = doc.root();
    if (root.isObject() && !root.find("chat_id")) {
        if (const JsonValue* wrapped = root.find("chat"); wrapped && wrapped->isObject())
            return decodeChatOrThrow(_client, *wrapped, "GET /me/chat/" + chatId);
    }
    return decodeChatOrThrow(_client, root, "GET /me/chat/" + chatId);
}

void ChatDirectory::postText(const std::string& chatId, const std::string& text) {
    std::string body;
    JsonWriter json(body);
    json.beginObject().key("recipient").beginObject().key("chat_id").value(chatId).endObject();
    json.key("message").beginObject().key("text").value(text).endObject().endObject();
    _client.post("/me/messages/" + chatId, body);
}

}  // namespace okarchive
