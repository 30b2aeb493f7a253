#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include "app/Commands.h"

namespace okarchive {

/// What okarchive is, in one line (the overview's and the man page's description).
inline constexpr const char* kProgramSummary = "Archives OK group chats into SQLite and exports them.";
/// How okarchive is called, after the program name (the overview's usage line and the man page's synopsis).
inline constexpr const char* kProgramUsage = "[--config=FILE] [--define=KEY=VALUE]... COMMAND [OPTIONS]";

/// The options of no particular command (--help, --version, --config, --define): the one list the option parser,
/// the help, the man page and the bash completion share.
const std::vector<OptionSpec>& globalOptions();

/// An exit code and what it means, as help and okarchive(1) say it.
struct ExitCodeMeaning {
    int code;
    const char* meaning;
};
/// Every exit code okarchive uses, in order.
const std::vector<ExitCodeMeaning>& exitCodeMeanings();

/// The Poco option for a command's declared option (argument required unless it is a flag).
Poco::Util::Option pocoOption(const OptionSpec& spec);

/// `okarchive --help` / `okarchive help`: usage, every command with its synopsis and summary, the global options.
void printOverview(std::ostream& out, const std::string& program, const Poco::Util::OptionSet& globalOptions);

/// `okarchive help COMMAND` / `okarchive COMMAND --help`: the command's usage line and summary, its own options
/// (with arguments and help), then the global options.
void printCommandHelp(std::ostream& out, const std::string& program, const CommandSpec& command,
                      const Poco::Util::OptionSet& globalOptions);

}  // namespace okarchive
