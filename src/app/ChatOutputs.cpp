#include "app/ChatOutputs.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <ostream>

#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "app/Commands.h"
#include "app/StopSignals.h"
#include "domain/Errors.h"
#include "exporters/AtomicOutputFile.h"
#include "media/MediaConfig.h"

namespace okarchive {
namespace {

constexpr std::size_t kPlainLimit = 64, kPrefixLimit = 32;

bool isSafeChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }

std::uint64_t fnv1a64(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
    return hash;
}

}  // namespace

std::string chatFileComponent(const std::string& chatId) {
    const auto id = chatId.rfind("chat:", 0) == 0 ? chatId.substr(5) : chatId;
    if (!id.empty() && id.size() <= kPlainLimit &&
        std::all_of(id.begin(), id.end(), [](char c) { return isSafeChar(static_cast<unsigned char>(c)); }))
        return id;
    std::string prefix;
    for (char c : id)
        if (prefix.size() < kPrefixLimit && isSafeChar(static_cast<unsigned char>(c))) prefix += c;
    return fmt::format("{}-{:016x}", prefix, fnv1a64(chatId));
}

std::string outputForChat(const std::string& output, const std::string& chatId, bool perChat) {
    if (!perChat) return output;
    const std::filesystem::path path(output);
    return (path.parent_path() / (path.stem().string() + "." + chatFileComponent(chatId) + path.extension().string()))
        .string();
}

bool outputPerChat(const std::vector<std::string>& requestedChats, const std::string& output) {
    if (output == "-") return false;
    return requestedChats.size() > 1 || (requestedChats.size() == 1 && requestedChats.front() == "all");
}

void requireOutputPerChat(const std::string& output, std::size_t chats) {
    if (chats > 1 && output == "-") throw UsageError("several chats cannot share standard output: give --output=PATH");
}

void protectArchive(ProtectedPaths& paths, const std::string& database) {
    paths.addFile(database, "the archive database");
    for (const char* suffix : {"-wal", "-shm", "-journal", ".lock"})
        paths.addFile(database + suffix, "a file of the archive");
    paths.addDirectory(defaultMediaDirectory(database), "the archive's media directory");
    std::error_code ec;  // SQLite keeps the journals of a symlinked database beside the file the link resolves to
    const auto real = std::filesystem::canonical(database, ec);
    if (ec) return;
    for (const char* suffix : {"-wal", "-shm", "-journal"})
        paths.addFile(real.string() + suffix, "a file of the archive");
}

ProtectedPaths protectedOutputPaths(const CommandContext& ctx, const std::string& database) {
    ProtectedPaths paths;
    protectArchive(paths, database);
    paths.addFile(ctx.config.getString("logging.file", ""), "the log file (logging.file)");
    paths.addFile(ctx.configFile, "the configuration file (--config)");
    return paths;
}

int writeUnlessStopped(const StopSignals& signals, std::ostream& err, const std::string& command,
                       const std::function<void()>& write) {
    try {
        if (signals.cancellation().cancelled()) throw Cancelled("the outputs before were written, no more");
        write();  // a signal after it finished does not undo it
        return 0;
    } catch (const StandardOutputClosed&) {
        return 0;  // its reader took what it wanted (| head): quietly done
    } catch (const Cancelled& e) {
        if (!signals.cancellation().cancelled()) throw;
        err << fmt::format("okarchive {}: stopped by {}: {}\n", command, signals.received(), e.what());
        return signals.exitCode();
    }
}

}  // namespace okarchive
