#include <catch2/catch.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include "app/Settings.h"
#include "domain/Errors.h"

using namespace okarchive;

namespace {

/// The chats Settings reads from sync.chats = `value`.
std::vector<std::string> chatsFrom(const std::string& value) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    config->setString("sync.chats", value);
    return Settings(*config).chats();
}

}  // namespace

TEST_CASE("sync.chats: all alone means every chat, also with spaces and repeated") {
    CHECK(chatsFrom("all") == std::vector<std::string>{"all"});
    CHECK(chatsFrom(" all , all ") == std::vector<std::string>{"all"});
}

TEST_CASE("sync.chats: all is refused before or after a chat id, never sent to the API as a chat") {
    CHECK_THROWS_AS(chatsFrom("chat:A,all"), UsageError);
    CHECK_THROWS_AS(chatsFrom("all,chat:A"), UsageError);
    CHECK_THROWS_AS(chatsFrom("all, chat:A ,chat:B"), UsageError);
}

TEST_CASE("sync.chats: chat ids are kept in order without repeats") {
    CHECK(chatsFrom("chat:B, chat:A,,chat:B") == std::vector<std::string>{"chat:B", "chat:A"});
    CHECK_THROWS_AS(chatsFrom("chat:../x"), UsageError);
}
