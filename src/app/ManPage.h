#pragma once

#include <iosfwd>
#include <string>

#include "app/SampleConfig.h"

namespace okarchive {

/// What the man pages state beyond the command table and the sample settings: the build's version and paths.
struct ManPageFacts {
    std::string version;         ///< CMake's project version
    std::string stateDirectory;  ///< the service's StateDirectory, e.g. /var/lib/okarchive
};

/// The token file the packaged settings name: token beside systemConfigFile() (/etc/okarchive/token).
std::string packagedTokenFile();

/// okarchive(1): every command of commandTable() with its synopsis, summary and options, the global options,
/// exit codes, the settings file lookup (app/ConfigLocation.h), the environment and related pages.
void writeOkarchivePage(std::ostream& out, const ManPageFacts& facts);

/// okarchive.ini(5): the sample's opening comment, then every section and key with its default and comment.
void writeSettingsPage(std::ostream& out, const SampleConfig& sample, const ManPageFacts& facts);

/// okarchive-sim(1) from the simulator's --help text (sim/CommandLine.h usageText()), installed as `program`.
void writeSimulatorPage(std::ostream& out, const std::string& usage, const std::string& program,
                        const ManPageFacts& facts);

}  // namespace okarchive
