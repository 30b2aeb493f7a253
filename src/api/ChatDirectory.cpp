#include "api/ChatDirectory.h"

#include <set>

#include <fmt/format.h>

#include "api/GraphClient.h"
#include "api/MessageDecoder.h"
#include "domain/ChatId.h"
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

/// A chat of /me/chats, unless it has no id or one okarchive does not accept: then it is skipped with a warning
/// naming it, and the other chats go on.
void addListedChat(GraphClient& client, std::vector<ChatInfo>& chats, const JsonValue& object) {
    ChatInfo chat;
    try {
        chat = decodeChat(object);
    } catch (const JsonParseError& e) {
        client.warn(fmt::format("GET /me/chats: skipped an unusable chat object: {}", e.what()));
        return;
    }
    if (isChatId(chat.chatId))
        chats.push_back(std::move(chat));
    else
        client.warn(fmt::format("GET /me/chats: skipped the chat '{}': not a valid chat id (expected {})",
                                shownChatId(chat.chatId), kChatIdGrammar));
}

}  // namespace

std::vector<ChatInfo> ChatDirectory::listChats() {
    std::vector<ChatInfo> chats;
    std::set<std::string> seenMarkers;
    std::string marker;
    for (;;) {
        QueryParams params{{"count", "100"}};
        if (!marker.empty()) params.emplace_back("marker", marker);
        JsonDocument page = _client.getPage("/me/chats", params);
        const JsonValue& root = page.root();
        if (!root.isObject()) throw ApiError("GET /me/chats: the answer is not a JSON object", 0, 200);
        if (const JsonValue* list = root.find("chats"); list && !list->isNull()) {
            if (!list->isArray()) throw ApiError("GET /me/chats: \"chats\" is not an array", 0, 200);
            for (const JsonValue& chat : list->items()) addListedChat(_client, chats, chat);
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
    const std::string path = "/me/chat/" + GraphClient::segment(chatId);
    const std::string what = "GET " + path;
    JsonDocument doc = _client.get(path, {});
    const JsonValue* object = &doc.root();
    if (object->isObject() && !object->find("chat_id")) {
        if (const JsonValue* wrapped = object->find("chat"); wrapped && wrapped->isObject()) object = wrapped;
    }
    ChatInfo chat = decodeChatOrThrow(_client, *object, what);
    if (!isChatId(chat.chatId))
        throw ApiError(fmt::format("{}: the answer names the chat '{}', not a valid chat id (expected {})", what,
                                   shownChatId(chat.chatId), kChatIdGrammar),
                       0, 200);
    return chat;
}

void ChatDirectory::postText(const std::string& chatId, const std::string& text) {
    std::string body;
    JsonWriter json(body);
    json.beginObject().key("recipient").beginObject().key("chat_id").value(chatId).endObject();
    json.key("message").beginObject().key("text").value(text).endObject().endObject();
    _client.post("/me/messages/" + GraphClient::segment(chatId), body);
}

}  // namespace okarchive
