#include <chrono>

#include <fmt/format.h>
#include <unistd.h>

#include "app/ChatOutputs.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/TerminalProgress.h"
#include "domain/Env.h"
#include "store/ArchiveBackup.h"

namespace okarchive {
namespace {

int runBackup(CommandContext& ctx) {
    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    const auto output = ctx.options.value("output");
    if (output.empty()) throw UsageError("backup needs --output=FILE: the file to write the copy of the archive to");
    if (output != "-") protectedOutputPaths(ctx, path).check(output);  // the log and config files too

    Env& env = Env::system();
    const auto started = env.now();
    TerminalProgress progress(ctx.err, STDERR_FILENO, env);
    BackupOptions options;
    options.progress = [&](const BackupProgress& p) {
        progress.update(fmt::format("backing up {}: {} of {} pages", path, p.done, p.total));
    };
    BackupResult result;
    try {
        result = backupArchive(path, output, options);
    } catch (...) {
        progress.clear();
        throw;
    }
    progress.clear();
    const std::chrono::duration<double> seconds = env.now() - started;
    ctx.out << fmt::format("backed up {} to {}: {} bytes, {} messages, {:.1f} s\n", path, result.path, result.bytes,
                           result.messages, seconds.count());
    return ExitOk;
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
