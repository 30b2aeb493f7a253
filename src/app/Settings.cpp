#include "app/Settings.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {

const std::vector<SettingKey>& knownSettings() {
    static const std::vector<SettingKey> keys = {
        {"api.base_url", "https://api.ok.ru/graph", "Graph API base URL (http:// only for loopback testing)"},
        {"api.access_token", "", "the bot's access token (prefer OKARCHIVE_ACCESS_TOKEN or api.access_token_file)"},
        {"api.access_token_file", "", "file holding the access token (first line)"},
        {"api.timeout_ms", "30000", "connect and read timeout per request, ms"},
        {"api.max_retries", "5", "retries of a transient failure before giving up"},
        {"api.requests_per_second", "5", "limit shared by every API call; 0 = unlimited"},
        {"archive.database", "okarchive.db", "the SQLite archive"},
        {"sync.chats", "", "comma-separated chat:ID list, or all"},
        {"sync.page_size", "100", "messages asked per page (the server may cap it)"},
    };
    return keys;
}

std::string environmentNameFor(const std::string& key) {
    std::string name = "OKARCHIVE_";
    for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

void requireChatId(const std::string& chatId, const std::string& where) {
    const bool ok = chatId.size() > 5 && chatId.rfind("chat:", 0) == 0 &&
                    std::all_of(chatId.begin() + 5, chatId.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
    if (!ok) throw UsageError(fmt::format("{}: '{}' is not a chat id (expected chat:ID, e.g. chat:C3ecb9d02a600)", where, chatId));
}

std::string Settings::string(const std::string& key) const { return Poco::trim(_config.getString(key, "")); }

long long Settings::integer(const std::string& key, long long min, long long max) const {
    const auto text = string(key);
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(text, value) || value < min || value > max)
        throw UsageError(fmt::format("setting {} = '{}' must be a whole number from {} to {}", key, text, min, max));
    return value;
}

std::string Settings::databasePath() const {
    auto path = string("archive.database");
    if (path.empty()) throw UsageError("setting archive.database is empty: name the SQLite file to archive into");
    return path;
}

std::vector<std::string> Settings::chats() const {
    std::vector<std::string> ids;
    std::stringstream list(string("sync.chats"));
    for (std::string item; std::getline(list, item, ',');) {
        item = Poco::trim(item);
        if (item.empty()) continue;
        if (item == "all") {
            if (!ids.empty()) throw UsageError("setting sync.chats: 'all' cannot be combined with chat ids");
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
    return s;
}

double Settings::requestsPerSecond() const {
    const auto text = string("api.requests_per_second");
    double value = 0;
    if (!Poco::NumberParser::tryParseFloat(text, value) || value < 0 || value > 10000)
        throw UsageError(fmt::format("setting api.requests_per_second = '{}' must be a number from 0 (unlimited) to 10000", text));
    return value;
}

std::string Settings::accessToken() const {
    auto token = string("api.access_token");
    const auto file = string("api.access_token_file");
    if (token.empty() && !file.empty()) {
        std::ifstream in(file);
        if (!in) throw UsageError(fmt::format("setting api.access_token_file: cannot read '{}'", file));
        std::getline(in, token);
        token = Poco::trim(token);
        if (token.empty()) throw UsageError(fmt::format("setting api.access_token_file: '{}' is empty", file));
    }
    if (token.empty())
        throw UsageError("no access token: set OKARCHIVE_ACCESS_TOKEN, api.access_token or api.access_token_file");
    return token;
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
        throw UsageError(fmt::format("setting api.base_url = '{}': plain http would send the token in clear text; "
                                     "use https (http is only for loopback testing)", s.baseUrl));
    s.timeout = std::chrono::milliseconds(integer("api.timeout_ms", 100, 600000));
    s.retry.maxRetries = static_cast<int>(integer("api.max_retries", 0, 100));
    s.accessToken = accessToken();
    return s;
}

}  // namespace okarchive
