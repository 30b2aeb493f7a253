#pragma once

#include <string>
#include <vector>

#include "sim/SimConfig.h"

namespace okarchive::sim {

/// What the okapi-sim command line asks for.
struct CliOptions {
    SimConfig config;
    bool help = false;
    std::string dumpTruthChat;   ///< non-empty: print this chat's truth NDJSON and exit
    bool dumpReachable = false;  ///< with dumpTruthChat: only the reachable messages
};

/// Parses okapi-sim's arguments (without argv[0]); accepts --opt=value and --opt value.
/// Throws std::invalid_argument with an operator-readable message on any bad option.
CliOptions parseCommandLine(const std::vector<std::string>& args);

/// The --help text.
std::string usageText();

}  // namespace okarchive::sim
