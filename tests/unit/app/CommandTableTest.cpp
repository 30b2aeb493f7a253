#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "app/Commands.h"

using namespace okarchive;

TEST_CASE("CommandOptions keeps every value in order and the last one wins for value()") {
    CommandOptions options;
    options.add("chat", "chat:A");
    options.add("excel", "");
    options.add("chat", "chat:B");
    CHECK(options.values("chat") == std::vector<std::string>{"chat:A", "chat:B"});
    CHECK(options.value("chat") == "chat:B");
    CHECK(options.has("excel"));  // a flag is given with an empty value
    CHECK(options.value("excel").empty());
    CHECK_FALSE(options.has("format"));
    CHECK(options.values("format").empty());
}

TEST_CASE("the command table lists each command once, findable by name") {
    std::set<std::string> names;
    for (const auto* command : commandTable()) {
        INFO(command->name);
        CHECK(names.insert(command->name).second);
        CHECK(findCommand(command->name) == command);
        CHECK_FALSE(command->summary.empty());
        CHECK(command->run);
    }
    CHECK(names == std::set<std::string>{"sync", "export", "report", "chats", "status", "media", "demo", "serve",
                                         "summary", "backup", "check", "help"});
    CHECK(findCommand("nosuch") == nullptr);
    CHECK(commandNames() == "sync, export, report, chats, status, media, demo, serve, summary, backup, check, help");
}

TEST_CASE("commands declare their options consistently and never a global option") {
    const std::set<std::string> globalNames{"help", "version", "config", "define"};
    const std::set<std::string> globalShort{"h", "c", "D"};
    const auto all = allCommandOptions();  // throws if two commands disagree on an option
    std::set<std::string> seen;
    for (const auto& option : all) {
        INFO(option.name);
        CHECK(seen.insert(option.name).second);
        CHECK(globalNames.count(option.name) == 0);
        CHECK(globalShort.count(option.shortName) == 0);
        CHECK_FALSE(option.help.empty());
    }
    for (const auto* serveOnly : {"daemon", "pidfile", "umask"}) CHECK(commandsAccepting(serveOnly) == "serve");
    for (const auto* command : commandTable()) {
        std::set<std::string> own;
        for (const auto& option : command->options) CHECK(own.insert(option.name).second);
    }
}

TEST_CASE("each command accepts the options it documents, and only those") {
    CHECK(commandsAccepting("since") == "export, report, summary");
    CHECK(commandsAccepting("excel") == "export");
    CHECK(commandsAccepting("dry-run") == "media, summary");
    CHECK(commandsAccepting("chat") == "sync, export, report, status, media, summary");
    CHECK(commandsAccepting("dir") == "demo");
    CHECK(findCommand("status")->options.size() == 1);  // --chat only
    CHECK(findCommand("status")->option("chat")->repeatable);
    CHECK(findCommand("export")->option("partition") != nullptr);
    CHECK(findCommand("report")->option("partition") == nullptr);
    CHECK(findCommand("export")->option("output")->shortName == "o");
    // summary takes one chat; sync, export and report several.
    CHECK_FALSE(findCommand("summary")->option("chat")->repeatable);
    CHECK(findCommand("sync")->option("chat")->repeatable);
    const auto all = allCommandOptions();
    const auto chat = std::find_if(all.begin(), all.end(), [](const auto& o) { return o.name == "chat"; });
    REQUIRE(chat != all.end());
    CHECK(chat->repeatable);  // the parser lets it repeat; summary itself refuses a second one
}

TEST_CASE("a command's subcommands accept only its own options, and each of its options has a subcommand") {
    for (const auto* command : commandTable()) {
        INFO(command->name);
        if (!command->subcommands.empty()) CHECK(command->takesArguments);
        std::set<std::string> used;
        for (const auto& subcommand : command->subcommands) {
            INFO(subcommand.name);
            CHECK(command->subcommand(subcommand.name) == &subcommand);
            CHECK_FALSE(subcommand.summary.empty());
            for (const auto& option : subcommand.options) {
                CHECK(command->option(option) != nullptr);
                CHECK(subcommand.synopsis.find("--" + option) != std::string::npos);
                used.insert(option);
            }
        }
        if (!command->subcommands.empty())
            for (const auto& option : command->options) CHECK(used.count(option.name) == 1);
    }
    const auto* media = findCommand("media");
    REQUIRE(media);
    CHECK(media->subcommand("verify")->accepts("sample"));
    CHECK_FALSE(media->subcommand("status")->accepts("sample"));
    CHECK(media->subcommand("nosuch") == nullptr);
}
