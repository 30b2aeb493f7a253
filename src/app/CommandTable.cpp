#include <algorithm>
#include <stdexcept>

#include "app/Commands.h"

namespace okarchive {

bool CommandOptions::has(const std::string& name) const {
    return std::any_of(_given.begin(), _given.end(), [&](const auto& g) { return g.first == name; });
}

std::string CommandOptions::value(const std::string& name) const {
    const auto it = std::find_if(_given.rbegin(), _given.rend(), [&](const auto& g) { return g.first == name; });
    return it == _given.rend() ? std::string() : it->second;
}

std::vector<std::string> CommandOptions::values(const std::string& name) const {
    std::vector<std::string> result;
    for (const auto& [given, value] : _given)
        if (given == name) result.push_back(value);
    return result;
}

const OptionSpec* CommandSpec::option(const std::string& optionName) const {
    const auto it = std::find_if(options.begin(), options.end(), [&](const auto& o) { return o.name == optionName; });
    return it == options.end() ? nullptr : &*it;
}

const SubcommandSpec* CommandSpec::subcommand(const std::string& subcommandName) const {
    const auto it =
        std::find_if(subcommands.begin(), subcommands.end(), [&](const auto& s) { return s.name == subcommandName; });
    return it == subcommands.end() ? nullptr : &*it;
}

bool SubcommandSpec::accepts(const std::string& optionName) const {
    return std::find(options.begin(), options.end(), optionName) != options.end();
}

const std::vector<const CommandSpec*>& commandTable() {
    static const std::vector<const CommandSpec*> table{
        &syncCommand(), &exportCommand(), &reportCommand(),  &chatsCommand(),  &statusCommand(), &mediaCommand(),
        &demoCommand(), &serveCommand(),  &summaryCommand(), &backupCommand(), &checkCommand(),  &helpCommand()};
    return table;
}

const CommandSpec* findCommand(const std::string& name) {
    const auto& table = commandTable();
    const auto it = std::find_if(table.begin(), table.end(), [&](const auto* c) { return c->name == name; });
    return it == table.end() ? nullptr : *it;
}

std::string commandNames() {
    std::string names;
    for (const auto* command : commandTable()) names += (names.empty() ? "" : ", ") + command->name;
    return names;
}

std::vector<OptionSpec> allCommandOptions() {
    std::vector<OptionSpec> all;
    for (const auto* command : commandTable())
        for (const auto& option : command->options) {
            const auto it = std::find_if(all.begin(), all.end(), [&](const auto& o) { return o.name == option.name; });
            if (it == all.end()) {
                all.push_back(option);
                continue;
            }
            if (it->argument.empty() != option.argument.empty() || it->shortName != option.shortName)
                throw std::logic_error("option --" + option.name + " is declared differently by " + command->name);
            it->repeatable = it->repeatable || option.repeatable;
        }
    return all;
}

std::string commandsAccepting(const std::string& name) {
    std::string names;
    for (const auto* command : commandTable())
        if (command->option(name)) names += (names.empty() ? "" : ", ") + command->name;
    return names;
}

std::vector<OptionSpec> timeRangeOptions(const std::string& zoneHint) {
    return {{"since", "", "T", false,
             "from this time on: YYYY-MM-DD (midnight in " + zoneHint + "), ISO 8601 with offset, or epoch ms"},
            {"until", "", "T", false, "before this time (exclusive), as --since"}};
}

OptionSpec outputOption() {
    return {"output", "o", "PATH", false,
            "output file (never the archive, its log or config), - for standard output (one chat); --chat=all or "
            "several --chat: PATH.<id>.EXT (required)"};
}

OptionSpec timezoneOption() {
    return {"timezone", "", "Area/City", false, "time zone for times, days and hours (default UTC)"};
}

}  // namespace okarchive
