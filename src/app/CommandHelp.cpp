#include "app/CommandHelp.h"

#include <ostream>

#include <Poco/Util/HelpFormatter.h>
#include <fmt/format.h>

#include "app/ConfigLocation.h"

namespace okarchive {
namespace {

constexpr int kWidth = 112;
constexpr std::size_t kSummaryColumn = 43;

/// Poco's option list alone (HelpFormatter::format always starts with a usage line).
class OptionList : public Poco::Util::HelpFormatter {
public:
    explicit OptionList(const Poco::Util::OptionSet& options) : HelpFormatter(options) {
        setUnixStyle(true);
        setWidth(kWidth);
    }
    void print(std::ostream& out) const { formatOptions(out); }
};

/// "Exit codes: 0 ok, 1 ...", wrapped between codes (never inside one's meaning).
void printExitCodes(std::ostream& out) {
    std::string line = "Exit codes:";
    const auto& codes = exitCodeMeanings();
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const auto item = fmt::format("{} {}{}", codes[i].code, codes[i].meaning, i + 1 < codes.size() ? "," : ".");
        if (line.size() + 1 + item.size() > static_cast<std::size_t>(kWidth)) {
            out << line << "\n";
            line = item;
        } else {
            line += " " + item;
        }
    }
    out << line << "\n";
}

void printFooter(std::ostream& out) {
    out << "\n";
    printExitCodes(out);
    out << fmt::format(
        "Settings: --config=FILE, else ${}, else ~/.config/okarchive/okarchive.ini, else\n"
        "{} (the first that exists; see okarchive.ini(5)); environment OKARCHIVE_<KEY>\n"
        "(e.g. OKARCHIVE_ACCESS_TOKEN) and --define override it.\n",
        kConfigEnvironmentVariable, systemConfigFile());
}

/// "  name synopsis" and the summary beside it, or below it when the synopsis is long.
void printCommandLine(std::ostream& out, const CommandSpec& command) {
    const auto call = fmt::format("  {}{}{}", command.name, command.synopsis.empty() ? "" : " ", command.synopsis);
    if (call.size() + 1 < kSummaryColumn)
        out << fmt::format("{:<{}}{}\n", call, kSummaryColumn, command.summary);
    else
        out << call << "\n" << std::string(kSummaryColumn, ' ') << command.summary << "\n";
}

}  // namespace

const std::vector<OptionSpec>& globalOptions() {
    static const std::vector<OptionSpec> options{
        {"help", "h", "", false, "show this overview (after a command: its usage) and exit"},
        {"version", "", "", false, "show the version and exit"},
        {"config", "c", "FILE", false, "read settings from an INI file"},
        {"define", "D", "KEY=VALUE", true, "set a setting, overriding file and environment"},
    };
    return options;
}

const std::vector<ExitCodeMeaning>& exitCodeMeanings() {
    static const std::vector<ExitCodeMeaning> codes{
        {ExitOk, "ok"},
        {ExitPartialFailure, "some chats failed"},
        {ExitUsage, "bad usage or configuration"},
        {ExitAuth, "token invalid or expired"},
        {ExitLocked, "the archive is in use by another okarchive (sync, serve, summary)"},
    };
    return codes;
}

Poco::Util::Option pocoOption(const OptionSpec& spec) {
    Poco::Util::Option option(spec.name, spec.shortName, spec.help);
    if (!spec.argument.empty()) option.argument(spec.argument);
    option.repeatable(spec.repeatable);
    return option;
}

void printOverview(std::ostream& out, const std::string& program, const Poco::Util::OptionSet& globalOptions) {
    out << fmt::format("usage: {} {}\n{}\n\nCommands:\n", program, kProgramUsage, kProgramSummary);
    for (const auto* command : commandTable()) printCommandLine(out, *command);
    out << fmt::format("\n'{0} help COMMAND' or '{0} COMMAND --help' shows a command's options.\n\nGlobal options:\n",
                       program);
    OptionList(globalOptions).print(out);
    printFooter(out);
}

void printCommandHelp(std::ostream& out, const std::string& program, const CommandSpec& command,
                      const Poco::Util::OptionSet& globalOptions) {
    out << fmt::format("usage: {} [GLOBAL OPTIONS] {}{}{}\n", program, command.name,
                       command.synopsis.empty() ? "" : " ", command.synopsis)
        << command.summary << "\n";
    if (!command.subcommands.empty()) out << fmt::format("\nSubcommands of {}:\n", command.name);
    for (const auto& subcommand : command.subcommands)
        out << fmt::format("  {} {} {}\n      {}\n", command.name, subcommand.name, subcommand.synopsis,
                           subcommand.summary);
    if (command.options.empty()) {
        out << fmt::format("\n'{}' takes only the global options.\n", command.name);
    } else {
        Poco::Util::OptionSet own;
        for (const auto& option : command.options) own.addOption(pocoOption(option));
        out << fmt::format("\nOptions of {}:\n", command.name);
        OptionList(own).print(out);
    }
    out << "\nGlobal options:\n";
    OptionList(globalOptions).print(out);
    printFooter(out);
}

}  // namespace okarchive
