#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace okarchive {

/// Exit codes, as documented in README.
enum ExitCode : int {
    ExitOk = 0,
    ExitPartialFailure = 1,  ///< some chats (or the export) failed; the rest was done
    ExitUsage = 2,           ///< bad command line or configuration
    ExitAuth = 3,            ///< the access token is invalid or expired
    ExitLocked = 4,          ///< another okarchive holds the archive (sync, serve, summary)
};

/// One option a command accepts: `--name` (or `-s`), with an argument unless `argument` is empty (a flag).
struct OptionSpec {
    std::string name;       ///< without the leading --
    std::string shortName;  ///< one letter, or empty
    std::string argument;   ///< the placeholder shown in help (PATH, chat:ID); empty for a flag
    bool repeatable = false;
    std::string help;
};

/// The command options given on the command line, in order (a flag's value is empty).
class CommandOptions {
public:
    void add(std::string name, std::string value) { _given.emplace_back(std::move(name), std::move(value)); }
    bool has(const std::string& name) const;
    /// The last value given for `name`, or "" if it was not given.
    std::string value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::pair<std::string, std::string>>& given() const { return _given; }

private:
    std::vector<std::pair<std::string, std::string>> _given;
};

struct CommandSpec;

/// A word after a command that selects what it does (`media status`): its own synopsis, summary and the names of the
/// command's options it accepts. Help, okarchive(1) and the bash completion list each one.
struct SubcommandSpec {
    std::string name;
    std::string synopsis;  ///< the options line after "command name"
    std::string summary;
    std::vector<std::string> options;

    bool accepts(const std::string& optionName) const;
};

/// What a command gets: the layered configuration, its own options and its streams.
struct CommandContext {
    Poco::Util::AbstractConfiguration& config;
    const CommandOptions& options;
    std::ostream& out;
    std::ostream& err;
    std::function<void()> reloadConfig = {};  ///< re-reads the --config file (serve, on SIGHUP); throws UsageError
    std::vector<std::string> arguments = {};  ///< the words after the command name (help COMMAND)
    std::function<void(std::ostream&, const CommandSpec*)> printHelp = {};  ///< the overview (nullptr) or a usage
    std::string configFile = {};  ///< the --config file, if one was given (no output may replace it)
};

/// A command: its name, how it is called, what it does, the options it accepts, and what runs it.
/// Each command defines its own in its file (one file per command); commandTable() lists them.
struct CommandSpec {
    std::string name;
    std::string synopsis;  ///< the options line after the name, e.g. "[--chat=chat:ID]..."
    std::string summary;   ///< one line for the overview and the command's help
    std::vector<OptionSpec> options;
    std::function<int(CommandContext&)> run;
    bool takesArguments = false;                   ///< whether words may follow the command name (help COMMAND)
    std::vector<SubcommandSpec> subcommands = {};  ///< the words the first argument may be (media status|verify|retry)

    const OptionSpec* option(const std::string& optionName) const;
    const SubcommandSpec* subcommand(const std::string& subcommandName) const;
};

const CommandSpec& syncCommand();
const CommandSpec& exportCommand();
const CommandSpec& reportCommand();
const CommandSpec& chatsCommand();
const CommandSpec& statusCommand();
const CommandSpec& demoCommand();
const CommandSpec& serveCommand();
const CommandSpec& summaryCommand();
const CommandSpec& backupCommand();
const CommandSpec& checkCommand();
const CommandSpec& mediaCommand();
const CommandSpec& helpCommand();

/// Every command, in the order the overview lists them.
const std::vector<const CommandSpec*>& commandTable();
/// The command called `name`, or nullptr.
const CommandSpec* findCommand(const std::string& name);

/// Every command's name, comma-separated (for messages).
std::string commandNames();
/// Every option of every command, once each (repeatable if it is for any command), for the option parser.
/// Throws std::logic_error if two commands declare the same option differently (flag or argument, short name).
std::vector<OptionSpec> allCommandOptions();
/// The commands that accept option `name`, comma-separated.
std::string commandsAccepting(const std::string& name);

/// The options shared by commands that read a time range: --since, --until (in `zoneHint`'s time zone).
std::vector<OptionSpec> timeRangeOptions(const std::string& zoneHint);
/// --output (-o) for the commands that write files: export, report.
OptionSpec outputOption();
/// --timezone for the commands that show times, days and hours.
OptionSpec timezoneOption();

}  // namespace okarchive
