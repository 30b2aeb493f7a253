#pragma once

#include <functional>
#include <iosfwd>
#include <string>
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

/// The export command's own options (filters, partitioning, presentation).
struct ExportOptions {
    std::string since, until, kind, contains, partition, timezone;
    bool containsGiven = false;
    std::vector<std::string> senders, has;
    bool excel = false, rawCsv = false;
    bool noDigests = false;
};

/// The summary command's own options (--since/--until come from ExportOptions: the same flags).
struct SummaryOptions {
    std::string period, at;
    bool dryRun = false, force = false;
};

/// What a command gets: the layered configuration and its own options.
struct CommandContext {
    Poco::Util::AbstractConfiguration& config;
    std::vector<std::string> chats;  ///< --chat (repeatable)
    std::string format;              ///< --format
    std::string output;              ///< --output
    std::string dir;                 ///< --dir
    ExportOptions exportOptions;
    std::ostream& out;
    std::ostream& err;
    SummaryOptions summary = {};
    std::function<void()> reloadConfig = {};  ///< re-reads the --config file (serve, on SIGHUP); throws UsageError
};

int runSync(CommandContext& ctx);
int runExport(CommandContext& ctx);
int runChats(CommandContext& ctx);
int runStatus(CommandContext& ctx);
int runDemo(CommandContext& ctx);
int runReport(CommandContext& ctx);
int runServe(CommandContext& ctx);
int runSummary(CommandContext& ctx);

}  // namespace okarchive
