#include <catch2/catch.hpp>

#include "exporters/ServiceSentence.h"
#include "ExportTestSupport.h"

using namespace okarchive;
using okarchive::test::serviceMessage;

namespace {

Message event(std::string type, std::optional<std::string> userId, std::string text = "{}",
              std::string senderName = "Боб") {
    return serviceMessage("mid:s", 1, 1, "user:1", std::move(senderName), std::move(text), std::move(type),
                          std::move(userId));
}

std::string ru(const Message& m, const UserNameLookup& names = {}) {
    return plainSentence(serviceSentence(m, Locale::Russian, names));
}

std::string en(const Message& m, const UserNameLookup& names = {}) {
    return plainSentence(serviceSentence(m, Locale::English, names));
}

const UserNameLookup alice = [](const std::string& id) -> std::optional<std::string> {
    if (id == "user:2") return std::string("Алиса");
    return std::nullopt;
};

}  // namespace

TEST_CASE("Russian service sentences are gender-neutral and keep names in the nominative") {
    REQUIRE(ru(event("EXIT", "user:1", "{}", "Алиса")) == "Алиса покинул(а) чат");
    REQUIRE(ru(event("JOIN", std::nullopt, "{}", "Алиса")) == "Алиса вступил(а) в чат");
    REQUIRE(ru(event("ADD", "user:1", "{}", "Алиса")) == "Алиса добавлен(а) в чат");
    REQUIRE(ru(event("ADD", "user:2"), alice) == "Боб добавил(а) в чат пользователя Алиса");
    REQUIRE(ru(event("REMOVE", "user:2"), alice) == "Боб удалил(а) из чата пользователя Алиса");
    REQUIRE(ru(event("TITLE", std::nullopt, R"({"title":"T"})")) == "Боб изменил(а) название чата на «T»");
    REQUIRE(ru(event("TITLE", std::nullopt, "not json")) == "Боб изменил(а) название чата");
    REQUIRE(ru(event("ICON", std::nullopt)) == "Боб изменил(а) значок чата");
    REQUIRE(ru(event("ZZZ_FUTURE", std::nullopt)) == "служебное событие ZZZ_FUTURE от Боб");
}

TEST_CASE("English service sentences name the actor and the subject") {
    REQUIRE(en(event("LEAVE", "user:1", "{}", "Bob")) == "Bob left the chat");
    REQUIRE(en(event("ADD", "user:1", "{}", "Bob")) == "Bob was added to the chat");
    REQUIRE(en(event("ADD", "user:2", "{}", "Bob"), alice) == "Bob added Алиса");
    REQUIRE(en(event("KICK", "user:3", "{}", "Bob"), alice) == "Bob removed user:3");
    REQUIRE(en(event("TITLE", std::nullopt, R"({"title":"T"})", "Bob")) ==
            "Bob changed the chat title to \u201CT\u201D");
    REQUIRE(en(event("ZZZ_FUTURE", std::nullopt, "{}", "Bob")) == "service event ZZZ_FUTURE by Bob");
    REQUIRE(en(event("ZZZ_FUTURE", "user:2", "{}", "Bob"), alice) == "service event ZZZ_FUTURE about Алиса by Bob");
    REQUIRE(en(event("", std::nullopt, "{}", "Bob")) == "service event (no type) by Bob");
}

TEST_CASE("Service event kinds are matched case-insensitively and unknown ones keep their raw code") {
    REQUIRE(en(event("exit", std::nullopt, "{}", "Bob")) == "Bob left the chat");
    REQUIRE(ru(event("Title", std::nullopt, R"({"title":"T"})")) == "Боб изменил(а) название чата на «T»");
    const auto pieces = serviceSentence(event("new_Kind", std::nullopt), Locale::Russian);
    REQUIRE(pieces.at(1) == SentencePiece{SentencePiece::Kind::Code, "new_Kind", ""});
}

TEST_CASE("A sentence is given as pieces so that each renderer escapes names and titles its own way") {
    Message m = event("TITLE", std::nullopt, R"({"title":"<i>x</i>"})", "");
    m.senderId = "user:<1>";
    const auto pieces = serviceSentence(m, Locale::English);
    REQUIRE(pieces.size() == 5);
    REQUIRE(pieces[0] == SentencePiece{SentencePiece::Kind::Person, "", "user:<1>"});
    REQUIRE(pieces[0].shown() == "user:<1>");
    REQUIRE(pieces[1].kind == SentencePiece::Kind::Words);
    REQUIRE(pieces[3] == SentencePiece{SentencePiece::Kind::Title, "<i>x</i>", ""});
    REQUIRE(plainSentence(pieces) == "user:<1> changed the chat title to \u201C<i>x</i>\u201D");
    m.senderId.clear();
    REQUIRE(plainSentence(serviceSentence(m, Locale::Russian)) == "кто-то изменил(а) название чата на «<i>x</i>»");
}

TEST_CASE("A user's name the archive does not know is shown by id") {
    const UserNameLookup nobody = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    REQUIRE(ru(event("ADD", "user:9"), nobody) == "Боб добавил(а) в чат пользователя user:9");
    REQUIRE(ru(event("ADD", "user:9")) == "Боб добавил(а) в чат пользователя user:9");
}
