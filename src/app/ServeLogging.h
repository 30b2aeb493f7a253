#pragma once

#include <string>

#include <Poco/Message.h>

namespace Poco {
class Logger;
namespace Util {
class AbstractConfiguration;
}
}  // namespace Poco

namespace okarchive {

/// Where `serve` logs, at logging.level: logging.file rotated by Poco's FileChannel (logging.rotation,
/// logging.purge_count; opened now, so a file that cannot be written fails before serve starts or detaches), else
/// standard error. One line per event: "<N>message" when standard error is the journal (isJournalStream), else a UTC
/// timestamp, the priority and the message. `daemon`: serve --daemon, which has no standard error (logging.file
/// required). Throws UsageError naming the setting.
Poco::Logger& setUpServeLogging(const Poco::Util::AbstractConfiguration& config, bool daemon);

/// Whether `fd` is the stream $JOURNAL_STREAM (`journalStream`, "DEVICE:INODE") names: systemd.exec(5) says to
/// compare, since a child whose standard error was redirected inherits the variable.
bool isJournalStream(const char* journalStream, int fd);

/// "<N>" (sd-daemon(3): 3 error, 4 warning) when standard error is the journal, else "": for the lines a command
/// writes to standard error itself (a failed start, a warning), so `journalctl -p err` finds them as it finds
/// serve's log lines.
std::string stderrPriorityPrefix(int syslogPriority);
inline constexpr int kSyslogError = 3;
inline constexpr int kSyslogWarning = 4;

/// logging.level's value as a priority: error, warning, notice, info (or information), debug; UsageError otherwise.
Poco::Message::Priority parseLogLevel(const std::string& level);

}  // namespace okarchive
