#pragma once

#include <iosfwd>
#include <string>

#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include "app/Commands.h"

namespace okarchive {

/// The Poco option for a command's declared option (argument required unless it is a flag).
Poco::Util::Option pocoOption(const OptionSpec& spec);

/// `okarchive --help` / `okarchive help`: usage, every command with its synopsis and summary, the global options.
void printOverview(std::ostream& out, const std::string& program, const Poco::Util::OptionSet& globalOptions);

/// `okarchive help COMMAND` / `okarchive COMMAND --help`: the command's usage line and summary, its own options
/// (with arguments and help), then the global options.
void printCommandHelp(std::ostream& out, const std::string& program, const CommandSpec& command,
                      const Poco::Util::OptionSet& globalOptions);

}  // namespace okarchive
