#include <chrono>

#include <fmt/format.h>
#include <unistd.h>

#include "app/ChatOutputs.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/StopSignals.h"
#include "app/TerminalProgress.h"
#include "domain/Env.h"
#include "domain/Errors.h"
#include "store/ArchiveBackup.h"

namespace okarchive {
namespace {

/// Copies the archive, a progress line on a terminal; a stop signal ends the copy between two steps.
BackupResult copyArchive(const std::string& path, const std::string& output, const StopSignals& signals,
                         std::ostream& err) {
    TerminalProgress progress(err, STDERR_FILENO, Env::system());
    BackupOptions options;
    options.progress = [&](const BackupProgress& p) {
        if (signals.cancellation().cancelled())
            throw Cancelled(fmt::format("no backup was written; {} is as it was", output));
        progress.update(fmt::format("backing up {}: {} of {} pages", path, p.done, p.total));
    };
    try {
        auto result = backupArchive(path, output, options);
        progress.clear();
        return result;
    } catch (...) {
        progress.clear();
        throw;
    }
}

int runBackup(CommandContext& ctx) {
    StopSignals signals(StopSignals::Options{.hangupStops = true, .onStop = {}});  // the temporary copy is removed
    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    const auto output = ctx.options.value("output");
    if (output.empty()) throw UsageError("backup needs --output=FILE: the file to write the copy of the archive to");
    if (output != "-") protectedOutputPaths(ctx, path).check(output);  // the log and config files too

    const auto started = Env::system().now();
    return writeUnlessStopped(signals, ctx.err, "backup", [&] {
        const auto result = copyArchive(path, output, signals, ctx.err);
        const std::chrono::duration<double> seconds = Env::system().now() - started;
        ctx.out << fmt::format("backed up {} to {}: {} bytes, {} messages, {:.1f} s\n", path, result.path, result.bytes,
                               result.messages, seconds.count());
    });
}

std::vector<OptionSpec> backupOptions() {
    return {{"output", "o", "FILE", false,
             "the backup file (required; not the archive, its -wal or -shm, the log or config; not -): written "
             "beside it and renamed into place once verified, replacing an existing FILE only then"}};
}

}  // namespace

const CommandSpec& backupCommand() {
    static const CommandSpec spec{"backup", "--output=FILE",
                                  "copy the archive as of one moment to FILE while sync or serve runs (no lock taken), "
                                  "verified before it replaces FILE; prints path, bytes, messages, seconds",
                                  backupOptions(), runBackup};
    return spec;
}

}  // namespace okarchive
