#pragma once

#include <iosfwd>

namespace okarchive {

/// The bash completion script for okarchive, from the command table and the global options: commands, each
/// command's own options and the global ones, and option values (files for FILE/PATH, directories for DIR, the
/// lower-case words of a placeholder such as en|ru, and `okarchive CMD --list-formats` for a FORMAT of a command
/// that lists its formats). Uses bash-completion's _init_completion when loaded, else reads COMP_WORDS itself;
/// safe under `set -u`; handles --opt=value whether or not '=' and ':' are in COMP_WORDBREAKS.
void writeBashCompletion(std::ostream& out);

}  // namespace okarchive
