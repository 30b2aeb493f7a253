#include "app/Settings.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <sstream>

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/ChatOutputs.h"
#include "domain/ChatId.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "digest/SummaryCalendar.h"

namespace okarchive {

const std::vector<SettingKey>& knownSettings() {
    static const std::vector<SettingKey> keys = {
        {"api.base_url", "https://api.ok.ru/graph", "Graph API base URL (http:// only for loopback testing)"},
        {"api.access_token", "", "the bot's access token (prefer OKARCHIVE_ACCESS_TOKEN or api.access_token_file)"},
        {"api.access_token_file", "", "regular file holding the access token (first line, at most 4 KiB read)"},
        {"api.timeout_ms", "30000", "total deadline of one request (connect, send, whole answer), ms"},
        {"api.max_retries", "5", "retries of a transient failure before giving up"},
        {"api.requests_per_second", "5", "limit shared by every API call; 0 = unlimited"},
        {"archive.database", "okarchive.db", "the SQLite archive"},
        {"archive.busy_timeout_ms", "5000", "how long a write waits for another's lock before 'database is locked'"},
        {"sync.chats", "", "comma-separated chat:ID list, or all"},
        {"sync.page_size", "100", "messages asked per page (the server may cap it)"},
        {"sync.interval", "15m",
         "(serve) how often each chat is synced: 30s, 15m, 1h; per chat: sync.interval.chat:ID"},
        {"sync.workers", "2", "(serve) chats synced in parallel, under the one API rate limit"},
        {"sync.recheck", "7d",
         "archived history each sync re-pages for edits and deletions, back from the chat's newest message: 12h, 7d, "
         "30d; 0 = off; all = the whole history; per chat: sync.recheck.chat:ID"},
        {"sync.recheck_pages", "50",
         "(serve) pages of a chat's re-check per turn, the rest in later turns so no chat starves the others; "
         "0 = unlimited"},
        {"sync.include_deleted", "false",
         "ask the API for deleted messages too (include_deleted=true, granted per group): archived marked deleted"},
        {"media.download", "all", "all: download every attachment's media; none: keep only the links"},
        {"media.types", "IMAGE,VIDEO,AUDIO,FILE,STICKER,CONTACT,OTHER",
         "attachment types whose media is downloaded; OTHER = types okarchive does not know"},
        {"media.max_bytes", "100M", "larger files are recorded as skipped_policy, never fetched whole: 500K, 100M, 2G"},
        {"media.directory", "", "the media store; empty = <archive.database>.media beside the archive"},
        {"media.workers", "2", "parallel media downloads (1..16)"},
        {"media.requests_per_second", "5", "media downloads started per second, apart from the API's; 0 = unlimited"},
        {"media.allow_private_addresses", "false",
         "also download from loopback and private addresses (tests, private deployments)"},
        {"media.timeout_ms", "600000", "longest one file may take, connect to last byte, ms"},
        {"media.stall_timeout_ms", "30000", "longest wait for the next bytes of a file, ms"},
        {"media.max_attempts", "5", "downloads tried per file before failed_permanent"},
        {"status.listen", "127.0.0.1:9477", "(serve) HOST:PORT of /healthz and /metrics; empty = off"},
        {"logging.file", "", "(serve) log file; empty = standard error"},
        {"logging.rotation", "10 M", "(serve) Poco FileChannel rotation: a size (10 M), daily, weekly, never..."},
        {"logging.purge_count", "5", "(serve) rotated log files kept"},
        {"logging.level", "info", "(serve) least priority logged: error, warning, notice, info or debug"},
        {"summary.enabled", "false", "(serve) post a digest of each closed period into the chat"},
        {"summary.chats", "", "(serve) chat:ID list for digests; empty = every synced chat"},
        {"summary.period", "day", "day, week, month, or a duration (6h)"},
        {"summary.timezone", "UTC", "time zone of periods and of the digest's times"},
        {"summary.at", "09:00", "local time of day the digest is due (day, week, month)"},
        {"summary.language", "en", "digest language: en or ru"},
        {"export.locale", "en", "language of HTML and txt exports and of reports: en or ru (--locale overrides)"},
    };
    return keys;
}

std::string environmentNameFor(const std::string& key) {
    std::string name = "OKARCHIVE_";
    for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

bool isKnownSetting(const std::string& key) {
    for (const auto& s : knownSettings())
        if (key == s.key) return true;
    for (const std::string perChat : {"sync.interval.chat:", "sync.recheck.chat:"}) {
        if (key.rfind(perChat, 0) != 0) continue;
        try {
            requireChatId(key.substr(perChat.size() - 5), key);
            return true;
        } catch (const UsageError&) {
            return false;
        }
    }
    return false;
}

void requireChatId(const std::string& chatId, const std::string& where) {
    if (!isChatId(chatId))
        throw UsageError(
            fmt::format("{}: '{}' is not a chat id (expected {})", where, shownChatId(chatId), kChatIdGrammar));
}

std::string Settings::string(const std::string& key) const { return Poco::trim(_config.getString(key, "")); }

long long Settings::integer(const std::string& key, long long min, long long max) const {
    const auto text = string(key);
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(text, value) || value < min || value > max)
        throw UsageError(fmt::format("setting {} = '{}' must be a whole number from {} to {}", key, text, min, max));
    return value;
}

std::chrono::milliseconds Settings::archiveBusyTimeout() const {
    return std::chrono::milliseconds(integer("archive.busy_timeout_ms", 1, 600000));
}

std::string Settings::databasePath() const {
    auto path = string("archive.database");
    if (path.empty()) throw UsageError("setting archive.database is empty: name the SQLite file to archive into");
    return path;
}

std::string Settings::logFile() const {
    const auto file = string("logging.file"), database = string("archive.database");
    if (file.empty() || database.empty()) return file;
    ProtectedPaths archive;
    protectArchive(archive, database);
    if (const auto hit = archive.match(file); !hit.empty())
        throw UsageError(
            fmt::format("setting logging.file = '{}' is {}: logging there would destroy the archive; "
                        "choose another log file",
                        file, hit));
    return file;
}

std::vector<std::string> Settings::chats() const {
    std::vector<std::string> ids;
    std::stringstream list(string("sync.chats"));
    for (std::string item; std::getline(list, item, ',');) {
        item = Poco::trim(item);
        if (item.empty()) continue;
        const bool all = item == "all", hadAll = !ids.empty() && ids.front() == "all";
        if (all && hadAll) continue;
        if (!ids.empty() && (all || hadAll))
            throw UsageError("setting sync.chats: 'all' cannot be combined with chat ids");
        if (all) {
            ids.push_back(item);
            continue;
        }
        requireChatId(item, "setting sync.chats");
        if (std::find(ids.begin(), ids.end(), item) == ids.end()) ids.push_back(item);
    }
    return ids;
}

SyncSettings Settings::sync() const {
    SyncSettings s;
    s.chats = chats();
    s.pageSize = static_cast<int>(integer("sync.page_size", 1, 1000));
    s.recheck = recheck();
    s.includeDeleted = boolean("sync.include_deleted");
    return s;
}

RecheckSettings Settings::recheck() const {
    RecheckSettings r;
    r.span = parseRecheckSpan(string("sync.recheck"), "setting sync.recheck");
    Poco::Util::AbstractConfiguration::Keys perChat;
    _config.keys("sync.recheck", perChat);
    for (const auto& chat : perChat) {
        const auto key = "sync.recheck." + chat;
        requireChatId(chat, "setting " + key);
        r.overrides[chat] = parseRecheckSpan(string(key), "setting " + key);
    }
    return r;  // maxPages 0: `sync` runs every pass to its end; serve() sets its per-turn budget
}

Locale Settings::locale() const { return parseLocale(string("export.locale"), "setting export.locale"); }

double Settings::decimal(const std::string& key, double min, double max, const std::string& range) const {
    const auto text = string(key);
    double value = 0;
    if (!Poco::NumberParser::tryParseFloat(text, value) || !(value >= min && value <= max))
        throw UsageError(fmt::format("setting {} = '{}' must be a number from {}", key, text, range));
    return value;
}

double Settings::requestsPerSecond() const {
    return decimal("api.requests_per_second", 0, 10000, "0 (unlimited) to 10000");
}

namespace {

constexpr std::int64_t kLargestMediaFile = 1024LL * 1024 * 1024 * 1024;  // 1T: a cap, not a wish

/// "500K", "100M", "2G", "1048576": bytes (K, M, G, T are powers of 1024; a trailing B or iB is allowed), or nothing
/// when `text` is not such a size.
std::optional<std::int64_t> parseByteSize(std::string text) {
    text = Poco::toUpper(text);
    if (text.size() > 2 && text.ends_with("IB") &&
        std::string_view("KMGT").find(text[text.size() - 3]) != std::string_view::npos)
        text.resize(text.size() - 2);
    else if (text.size() > 1 && text.ends_with('B'))
        text.pop_back();
    std::int64_t unit = 1;
    if (!text.empty()) {
        const auto at = std::string_view("KMGT").find(text.back());
        if (at != std::string_view::npos) {
            unit = std::int64_t{1} << (10 * (at + 1));
            text.pop_back();
        }
    }
    Poco::UInt64 value = 0;
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front())) ||
        !Poco::NumberParser::tryParseUnsigned64(Poco::trim(text), value) ||
        value > static_cast<Poco::UInt64>(kLargestMediaFile / unit))
        return std::nullopt;
    return static_cast<std::int64_t>(value) * unit;
}

}  // namespace

std::vector<std::string> Settings::mediaTypes() const {
    std::vector<std::string> types;
    std::stringstream list(string("media.types"));
    for (std::string item; std::getline(list, item, ',');) {
        item = Poco::toUpper(Poco::trim(item));
        if (item.empty()) continue;
        const auto& known = mediaTypeNames();
        if (std::find(known.begin(), known.end(), item) == known.end())
            throw UsageError(fmt::format("setting media.types: '{}' is not a media type (expected a list of {})",
                                         inertText(item), fmt::join(known, ", ")));
        if (std::find(types.begin(), types.end(), item) == types.end()) types.push_back(item);
    }
    if (types.empty())
        throw UsageError(
            "setting media.types is empty: list the types to download, or set media.download = none to download "
            "nothing");
    return types;
}

MediaConfig Settings::media() const {
    MediaConfig m;
    const auto download = Poco::toLower(string("media.download"));
    if (download != "all" && download != "none")
        throw UsageError(fmt::format("setting media.download = '{}' must be all or none", inertText(download)));
    m.download = download == "all";
    m.types = mediaTypes();
    const auto maxBytes = string("media.max_bytes");
    const auto size = parseByteSize(maxBytes);
    if (!size || *size < 1)
        throw UsageError(
            fmt::format("setting media.max_bytes = '{}' must be a size from 1 byte to 1T, such as 500K, 100M or 2G",
                        inertText(maxBytes)));
    m.maxBytes = *size;
    m.directory = string("media.directory");
    if (m.directory.empty()) m.directory = defaultMediaDirectory(databasePath());
    m.workers = static_cast<int>(integer("media.workers", 1, 16));
    m.requestsPerSecond = decimal("media.requests_per_second", 0, 10000, "0 (unlimited) to 10000");
    m.allowPrivateAddresses = boolean("media.allow_private_addresses");
    m.timeout = std::chrono::milliseconds(integer("media.timeout_ms", 100, 24LL * 3600 * 1000));
    m.stallTimeout = std::chrono::milliseconds(integer("media.stall_timeout_ms", 10, 3600LL * 1000));
    m.maxAttempts = static_cast<int>(integer("media.max_attempts", 1, 100));
    return m;
}

namespace {

constexpr std::size_t kMaxTokenFileBytes = 4096;  // a token is a few dozen bytes; the first line must fit

/// The first line of the token file, trimmed. Only a regular file is read (opened without blocking, checked on the
/// open descriptor), and at most kMaxTokenFileBytes of it: /dev/zero, a FIFO or a directory is refused by name.
std::string readTokenFile(const std::string& path) {
    const auto refuse = [&](const std::string& why) {
        return UsageError(fmt::format("setting api.access_token_file: '{}' {}", path, why));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw refuse(fmt::format("cannot be read: {}", std::strerror(errno)));
    struct stat st {};
    const bool known = ::fstat(fd, &st) == 0;
    std::string data;
    ssize_t n = -1;
    int readError = errno;
    if (known && S_ISREG(st.st_mode)) {
        data.resize(kMaxTokenFileBytes + 1);  // one byte more: tells a longer first line from one that fits
        n = ::read(fd, data.data(), data.size());
        readError = errno;
    }
    ::close(fd);
    if (known && S_ISDIR(st.st_mode)) throw refuse("is a directory, not a file holding the token");
    if (known && !S_ISREG(st.st_mode))
        throw refuse("is not a regular file (a device, FIFO or socket): put the token in a plain file");
    if (n < 0) throw refuse(fmt::format("cannot be read: {}", std::strerror(readError)));
    data.resize(static_cast<std::size_t>(n));
    const auto newline = data.find('\n');
    if (newline == std::string::npos && data.size() > kMaxTokenFileBytes)
        throw refuse(
            fmt::format("has no line break in its first {} bytes: it does not hold a token", kMaxTokenFileBytes));
    std::string token = Poco::trim(data.substr(0, newline));
    if (token.empty()) throw refuse("is empty");
    return token;
}

}  // namespace

std::string Settings::accessToken() const {
    auto token = string("api.access_token");
    const auto file = string("api.access_token_file");
    if (token.empty() && !file.empty()) token = readTokenFile(file);
    if (token.empty())
        throw UsageError("no access token: set OKARCHIVE_ACCESS_TOKEN, api.access_token or api.access_token_file");
    return token;
}

bool Settings::boolean(const std::string& key) const {
    const auto text = Poco::toLower(string(key));
    if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
    if (text == "false" || text == "no" || text == "off" || text == "0" || text.empty()) return false;
    throw UsageError(fmt::format("setting {} = '{}' must be true or false", key, text));
}

ServiceConfig Settings::serve() const {
    ServiceConfig c;
    c.databasePath = databasePath();
    c.chats = chats();
    if (c.chats.empty()) throw UsageError("no chats to serve: set sync.chats (a chat:ID list, or all)");
    c.interval = parseDuration(string("sync.interval"), "sync.interval");
    Poco::Util::AbstractConfiguration::Keys perChat;
    _config.keys("sync.interval", perChat);
    for (const auto& chat : perChat) {
        const auto key = "sync.interval." + chat;
        requireChatId(chat, "setting " + key);
        c.intervalOverrides[chat] = parseDuration(string(key), key);
    }
    c.workers = static_cast<int>(integer("sync.workers", 1, 64));
    const auto syncSettings = sync();
    c.pageSize = syncSettings.pageSize;
    c.recheck = syncSettings.recheck;
    c.recheck.maxPages = static_cast<int>(integer("sync.recheck_pages", 0, 1'000'000));
    c.includeDeleted = syncSettings.includeDeleted;
    c.api = api();
    c.requestsPerSecond = requestsPerSecond();
    c.media = media();
    auto& s = c.summary;
    s.enabled = boolean("summary.enabled");
    std::stringstream list(string("summary.chats"));
    for (std::string item; std::getline(list, item, ',');) {
        item = Poco::trim(item);
        if (item.empty()) continue;
        requireChatId(item, "setting summary.chats");
        s.chats.push_back(item);
    }
    s.period = string("summary.period");
    s.timezone = string("summary.timezone");
    s.at = string("summary.at");
    s.language = string("summary.language");
    validateSummaryConfig(s);  // names the bad key
    return c;
}

GraphClientSettings Settings::api() const {
    GraphClientSettings s;
    s.baseUrl = string("api.base_url");
    Poco::URI uri;
    try {
        uri = Poco::URI(s.baseUrl);
    } catch (const Poco::Exception&) {
        throw UsageError(fmt::format("setting api.base_url = '{}' is not a URL", s.baseUrl));
    }
    if ((uri.getScheme() != "https" && uri.getScheme() != "http") || uri.getHost().empty())
        throw UsageError(fmt::format("setting api.base_url = '{}' must be an http:// or https:// URL", s.baseUrl));
    const auto& host = uri.getHost();
    const bool loopback = host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1" || host == "[::1]";
    if (uri.getScheme() == "http" && !loopback)
        throw UsageError(
            fmt::format("setting api.base_url = '{}': plain http would send the token in clear text; "
                        "use https (http is only for loopback testing)",
                        s.baseUrl));
    s.timeout = std::chrono::milliseconds(integer("api.timeout_ms", 100, 600000));
    s.retry.maxRetries = static_cast<int>(integer("api.max_retries", 0, 100));
    s.accessToken = accessToken();
    return s;
}

}  // namespace okarchive
