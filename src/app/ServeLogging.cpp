#include "app/ServeLogging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "app/InertLogFormatter.h"
#include "domain/Errors.h"
#include "domain/InertText.h"

namespace okarchive {
namespace {

Poco::AutoPtr<Poco::Channel> openLogFile(const Poco::Util::AbstractConfiguration& config, const std::string& file) {
    Poco::AutoPtr<Poco::FileChannel> channel(new Poco::FileChannel(file));
    try {
        channel->setProperty("rotation", config.getString("logging.rotation", "10 M"));
        channel->setProperty("archive", "number");
        channel->setProperty("purgeCount", config.getString("logging.purge_count", "5"));
        channel->open();
    } catch (const Poco::Exception& e) {
        throw UsageError(
            fmt::format("setting logging.file = '{}' (or logging.rotation/purge_count): {}", file, e.displayText()));
    }
    return channel;
}

}  // namespace

std::string stderrPriorityPrefix(int syslogPriority) {
    if (!isJournalStream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO)) return {};
    return "<" + std::to_string(syslogPriority) + ">";
}

bool isJournalStream(const char* journalStream, int fd) {
    if (!journalStream) return false;
    const std::string text(journalStream);
    const auto colon = text.find(':');
    Poco::UInt64 device = 0, inode = 0;
    if (colon == std::string::npos || !Poco::NumberParser::tryParseUnsigned64(text.substr(0, colon), device) ||
        !Poco::NumberParser::tryParseUnsigned64(text.substr(colon + 1), inode))
        return false;
    struct stat st {};
    return ::fstat(fd, &st) == 0 && static_cast<Poco::UInt64>(st.st_dev) == device &&
           static_cast<Poco::UInt64>(st.st_ino) == inode;
}

Poco::Message::Priority parseLogLevel(const std::string& level) {
    const auto name = Poco::toLower(Poco::trim(level));
    if (name == "error") return Poco::Message::PRIO_ERROR;
    if (name == "warning") return Poco::Message::PRIO_WARNING;
    if (name == "notice") return Poco::Message::PRIO_NOTICE;
    if (name == "info" || name == "information") return Poco::Message::PRIO_INFORMATION;
    if (name == "debug") return Poco::Message::PRIO_DEBUG;
    throw UsageError(fmt::format("setting logging.level = '{}': expected error, warning, notice, info or debug",
                                 inertText(level, 40)));
}

Poco::Logger& setUpServeLogging(const Poco::Util::AbstractConfiguration& config, bool daemon) {
    const auto level = parseLogLevel(config.getString("logging.level", "info"));
    const auto file = config.getString("logging.file", "");
    if (daemon && file.empty()) throw UsageError("serve --daemon has no standard error to log to: set logging.file");
    Poco::AutoPtr<Poco::Channel> sink;
    Poco::AutoPtr<Poco::Formatter> format;
    if (!file.empty()) {
        sink = openLogFile(config, file);
    } else {
        sink = new Poco::ConsoleChannel(std::cerr);
        if (isJournalStream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO)) format = new JournalLogFormatter;
    }
    if (!format) format = new InertLogFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %t");
    Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(format, sink));
    auto& logger = Poco::Logger::get("okarchive.serve");
    logger.setChannel(formatting);
    logger.setLevel(level);
    return logger;
}

}  // namespace okarchive
