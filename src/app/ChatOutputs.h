#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "exporters/ProtectedPaths.h"

namespace okarchive {

struct CommandContext;
class StopSignals;

/// Where the files of `chatId` go: `output` itself, or with `perChat` (see outputPerChat) its own STEM.<safe id>.EXT
/// beside it (export and report name their files alike; see chatFileComponent).
std::string outputForChat(const std::string& output, const std::string& chatId, bool perChat);

/// True if the request names its files per chat: `--chat=all` or several --chat, however many chats the archive
/// holds (a cron job's names never change with the archive's content); one explicit --chat writes `output` itself.
/// Standard output (-) is never renamed (requireOutputPerChat refuses several chats on it).
bool outputPerChat(const std::vector<std::string>& requestedChats, const std::string& output);

/// The part of a file name that stands for `chatId`: its id after "chat:" when that is 1..64 of [A-Za-z0-9_-],
/// else at most 32 of those characters followed by "-" and 16 hex digits of a hash of the whole id (FNV-1a 64), so
/// a hostile id never leaves the directory, never makes a long name, and maps to the same name on every run.
std::string chatFileComponent(const std::string& chatId);

/// Throws UsageError if `chats` (more than one) would share standard output (--output=-).
void requireOutputPerChat(const std::string& output, std::size_t chats);

/// Adds the archive `database` and its companions (-wal, -shm, -journal, .lock, the media directory
/// `<database>.media/`; for a symlinked database also the -wal, -shm, -journal beside the file it resolves to).
void protectArchive(ProtectedPaths& paths, const std::string& database);

/// Everything an export or a report must never write over: the archive and its companions, the log file
/// (logging.file) and the configuration file (--config).
ProtectedPaths protectedOutputPaths(const CommandContext& ctx, const std::string& database);

/// Runs `write` (one chat's output) unless a stop came already. Returns 0 when it finished or standard output's
/// reader went away (StandardOutputClosed: quiet, nothing to tell); when `signals` stopped it
/// (or it never started), tells `err`
/// "okarchive COMMAND: stopped by SIGX: ..." and returns the signal's conventional exit status (130, 143, 129).
int writeUnlessStopped(const StopSignals& signals, std::ostream& err, const std::string& command,
                       const std::function<void()>& write);

}  // namespace okarchive
