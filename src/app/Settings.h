#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "api/GraphClient.h"
#include "domain/Locale.h"
#include "media/MediaConfig.h"
#include "service/ServiceConfig.h"
#include "sync/SyncRunner.h"

namespace Poco::Util {
class AbstractConfiguration;
}

namespace okarchive {

/// Every configuration key okarchive knows, with its default (empty = none) and what it means.
struct SettingKey {
    const char* key;
    const char* defaultValue;
    const char* help;
};
const std::vector<SettingKey>& knownSettings();

/// Whether `key` may be set: a known key, or a per-chat one (sync.interval.chat:ID).
bool isKnownSetting(const std::string& key);

/// The environment variable that sets `key`: OKARCHIVE_ + the key upper-cased with '.' as '_'.
std::string environmentNameFor(const std::string& key);

/// Typed, validated view of the layered configuration. Every error names the key and the bad value (UsageError).
class Settings {
public:
    explicit Settings(const Poco::Util::AbstractConfiguration& config) : _config(config) {}

    std::string databasePath() const;
    /// logging.file ("" = standard error); throws UsageError naming both when it is the archive or one of its files.
    std::string logFile() const;
    std::chrono::milliseconds archiveBusyTimeout() const;  ///< archive.busy_timeout_ms, 1 ms to 10 min
    std::vector<std::string> chats() const;                ///< from sync.chats; {"all"} or "chat:..." ids
    SyncSettings sync() const;
    /// API settings including the token (api.access_token, OKARCHIVE_ACCESS_TOKEN, or api.access_token_file).
    GraphClientSettings api() const;
    double requestsPerSecond() const;
    /// export.locale: the language of HTML and txt exports and of reports (their --locale overrides it).
    Locale locale() const;
    /// Everything `serve` reads (sync.*, api.*, summary.*, media.*), validated.
    ServiceConfig serve() const;
    /// The media.* settings: sizes as 500K/100M/2G, media.types upper-cased and known, the directory defaulting to
    /// archive.database + ".media".
    MediaConfig media() const;

private:
    bool boolean(const std::string& key) const;
    std::string string(const std::string& key) const;
    long long integer(const std::string& key, long long min, long long max) const;
    double decimal(const std::string& key, double min, double max, const std::string& range) const;
    std::vector<std::string> mediaTypes() const;
    RecheckSettings recheck() const;  ///< sync.recheck and sync.recheck.chat:ID
    std::string accessToken() const;

    const Poco::Util::AbstractConfiguration& _config;
};

/// Throws UsageError naming `where` and the id (inert, cut) unless `chatId` is one (isChatId).
void requireChatId(const std::string& chatId, const std::string& where);

}  // namespace okarchive
