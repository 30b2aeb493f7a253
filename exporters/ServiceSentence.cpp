#include "exporters/ServiceSentence.h"

#include <string_view>
#include <unordered_map>

#include "domain/Json.h"
#include "domain/TextFold.h"

namespace okarchive {
namespace {

/// Builds one sentence: who did it (the actor, the sender) to whom (the subject: the event's user, or the sender
/// when the event is about them).
struct Builder {
    const Message& m;
    const ServiceEvent& event;
    Locale locale;
    const UserNameLookup& userName;
    std::vector<SentencePiece> pieces = {};
    bool aboutSender = !event.userId || *event.userId == m.senderId;

    void words(std::string_view english, std::string_view russian) {
        pieces.push_back({SentencePiece::Kind::Words, std::string(locale == Locale::Russian ? russian : english), {}});
    }
    void actor() {
        std::string fallback = m.senderId;
        if (fallback.empty()) fallback = locale == Locale::Russian ? "кто-то" : "someone";
        pieces.push_back({SentencePiece::Kind::Person, m.senderName, std::move(fallback)});
    }
    void subject() {
        if (aboutSender) return actor();
        std::optional<std::string> name;
        if (userName) name = userName(*event.userId);
        pieces.push_back({SentencePiece::Kind::Person, name.value_or(std::string()), *event.userId});
    }
    /// "X was added to the chat" about oneself, else "A added X" (also invitations and removals).
    void byActor(std::string_view passiveEn, std::string_view passiveRu, std::string_view activeEn,
                 std::string_view activeRu) {
        if (aboutSender) {
            subject();
            words(passiveEn, passiveRu);
            return;
        }
        actor();
        words(activeEn, activeRu);
        subject();
    }
};

std::optional<std::string> titleOf(const Message& m) {
    if (!m.text) return std::nullopt;
    try {
        const auto doc = JsonDocument::parse(*m.text);
        const JsonValue* title = doc.root().find("title");
        if (title && title->isString()) return title->asString();
    } catch (const JsonParseError&) {}
    return std::nullopt;
}

void titleSentence(Builder& b) {
    b.actor();
    b.words(" changed the chat title", " изменил(а) название чата");
    const std::optional<std::string> title = titleOf(b.m);
    if (!title) return;
    b.words(" to \xE2\x80\x9C", " на \xC2\xAB");
    b.pieces.push_back({SentencePiece::Kind::Title, *title, {}});
    b.words("\xE2\x80\x9D", "\xC2\xBB");
}

void unknownSentence(Builder& b) {
    const std::string& type = b.event.type;
    b.words("service event ", "служебное событие ");
    std::string code = type;
    if (code.empty()) code = b.locale == Locale::Russian ? "(без типа)" : "(no type)";
    b.pieces.push_back({SentencePiece::Kind::Code, std::move(code), {}});
    if (!b.aboutSender) {
        b.words(" about ", " о пользователе ");
        b.subject();
    }
    b.words(" by ", " от ");
    b.actor();
}

void leftSentence(Builder& b) { b.subject(), b.words(" left the chat", " покинул(а) чат"); }
void joinedSentence(Builder& b) { b.subject(), b.words(" joined the chat", " вступил(а) в чат"); }
void addedSentence(Builder& b) {
    b.byActor(" was added to the chat", " добавлен(а) в чат", " added ", " добавил(а) в чат пользователя ");
}
void invitedSentence(Builder& b) {
    b.byActor(" was invited to the chat", " приглашён(а) в чат", " invited ", " пригласил(а) в чат пользователя ");
}
void removedSentence(Builder& b) {
    b.byActor(" was removed from the chat", " удалён(а) из чата", " removed ", " удалил(а) из чата пользователя ");
}
void iconSentence(Builder& b) { b.actor(), b.words(" changed the chat icon", " изменил(а) значок чата"); }

using SentenceWriter = void (*)(Builder&);

/// The sentence of every known service event kind (upper case); others get unknownSentence.
const std::unordered_map<std::string_view, SentenceWriter>& sentences() {
    static const std::unordered_map<std::string_view, SentenceWriter> table = {
        {"EXIT", leftSentence},   {"LEAVE", leftSentence},     {"JOIN", joinedSentence},    {"ENTER", joinedSentence},
        {"ADD", addedSentence},   {"INVITE", invitedSentence}, {"REMOVE", removedSentence}, {"KICK", removedSentence},
        {"TITLE", titleSentence}, {"ICON", iconSentence},
    };
    return table;
}

}  // namespace

std::vector<SentencePiece> serviceSentence(const Message& m, Locale locale, const UserNameLookup& userName) {
    static const ServiceEvent none;  // not a service message: read as an event without a type rather than crash
    Builder builder{m, m.service ? *m.service : none, locale, userName};
    const auto& table = sentences();
    const auto it = table.find(upperAscii(builder.event.type));
    (it == table.end() ? unknownSentence : it->second)(builder);
    return std::move(builder.pieces);
}

std::string plainSentence(const std::vector<SentencePiece>& pieces) {
    std::string out;
    for (const auto& piece : pieces) out += piece.shown();
    return out;
}

}  // namespace okarchive
