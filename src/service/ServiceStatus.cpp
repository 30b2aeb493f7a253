#include "service/ServiceStatus.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "api/ApiAnswer.h"
#include "domain/JsonWriter.h"
#include "domain/TimeFormat.h"

#ifndef OKARCHIVE_VERSION
#define OKARCHIVE_VERSION "dev"
#endif

namespace okarchive {
namespace {

std::string label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string number(double value) { return fmt::format("{}", value); }

/// The # HELP and # TYPE lines that open one metric family.
void metricHeader(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

/// One sample line: `name{labels} value` (`name value` without labels).
void sample(std::string& out, std::string_view name, const std::string& labels, const std::string& value) {
    out += labels.empty() ? fmt::format("{} {}\n", name, value) : fmt::format("{}{{{}}} {}\n", name, labels, value);
}

std::string chatLabel(const std::string& chatId) { return fmt::format("chat=\"{}\"", label(chatId)); }

/// `counts` with a 0 for each of `known` it lacks (a label value exists before its first event).
std::map<std::string, std::uint64_t> withEvery(std::map<std::string, std::uint64_t> counts,
                                               const std::vector<std::string>& known) {
    for (const auto& k : known) counts.try_emplace(k, 0);
    return counts;
}

/// okarchive_sync_duration_seconds: cumulative buckets (the last count is past every bucket), sum and count.
void appendDurationHistogram(std::string& out, const std::vector<std::uint64_t>& counts, double sum,
                             std::uint64_t count) {
    metricHeader(out, "okarchive_sync_duration_seconds", "How long one chat's sync run took.", "histogram");
    std::uint64_t cumulative = 0;
    const auto& buckets = ServiceStatus::durationBuckets();
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        cumulative += counts[i];
        out += fmt::format("okarchive_sync_duration_seconds_bucket{{le=\"{}\"}} {}\n", number(buckets[i]), cumulative);
    }
    cumulative += counts.back();
    out += fmt::format("okarchive_sync_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
    out += fmt::format("okarchive_sync_duration_seconds_sum {}\n", number(sum));
    out += fmt::format("okarchive_sync_duration_seconds_count {}\n", count);
}

}  // namespace

const std::vector<double>& ServiceStatus::durationBuckets() {
    static const std::vector<double> buckets = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900};
    return buckets;
}

const std::vector<std::string>& ServiceStatus::runResults() {
    static const std::vector<std::string> results = {"ok", "failed"};
    return results;
}

void ServiceStatus::setArchived(const std::string& chatId, std::int64_t archived) {
    std::lock_guard lock(_mutex);
    _chats[chatId].archived = archived;
}

void ServiceStatus::recordRun(const std::string& chatId, const std::string& result, double seconds,
                              std::int64_t archived, std::int64_t finishedAtMs, const std::string& error,
                              const std::vector<std::string>& warnings) {
    std::lock_guard lock(_mutex);
    auto& chat = _chats[chatId];
    chat.archived = std::max(chat.archived, archived);
    chat.lastResult = result;
    chat.lastSeconds = seconds;
    ++chat.runs[result];
    if (result == "ok") {
        chat.lastSuccessMs = finishedAtMs;
    } else {
        chat.lastErrorMs = finishedAtMs;
        chat.lastError = error;
    }
    for (const auto& w : warnings)
        if (std::find(chat.warnings.begin(), chat.warnings.end(), w) == chat.warnings.end()) chat.warnings.push_back(w);
    const auto& buckets = durationBuckets();
    std::size_t i = 0;
    while (i < buckets.size() && seconds > buckets[i]) ++i;
    ++_durationCounts[i];
    _durationSum += seconds;
    ++_durationCount;
}

void ServiceStatus::recordApiRequest(int httpStatus, int errorCode) {
    std::string code = errorCode != 0    ? fmt::format("error_{}", errorCode)
                       : httpStatus == 0 ? std::string("network")
                                         : std::to_string(httpStatus);
    std::lock_guard lock(_mutex);
    ++_apiRequests[code];
}

void ServiceStatus::recordApiRetry(const std::string& reason) {
    std::lock_guard lock(_mutex);
    ++_apiRetries[reason];
}

void ServiceStatus::recordDigestPosted(const std::string& chatId) {
    std::lock_guard lock(_mutex);
    ++_chats[chatId].digestsPosted;
}

void ServiceStatus::setAuthError(const std::string& error) {
    std::lock_guard lock(_mutex);
    _authError = error;
}

void ServiceStatus::setDiscoveryError(const std::string& error) {
    std::lock_guard lock(_mutex);
    _discoveryError = error;
}

void ServiceStatus::setSummaryError(const std::string& chatId, const std::string& error) {
    std::lock_guard lock(_mutex);
    auto& chat = _chats[chatId];
    chat.summaryError = error;
    if (!error.empty()) ++chat.digestsFailed;
}

void ServiceStatus::setChats(const std::vector<std::string>& chatIds) {
    std::lock_guard lock(_mutex);
    for (auto it = _chats.begin(); it != _chats.end();)
        it = std::find(chatIds.begin(), chatIds.end(), it->first) == chatIds.end() ? _chats.erase(it) : std::next(it);
    for (const auto& id : chatIds) _chats.try_emplace(id);
}

namespace {

/// The ISO time of `ms`, or null.
void writeOptionalTime(JsonWriter& json, const std::optional<std::int64_t>& ms) {
    if (ms)
        json.value(formatIsoUtc(*ms));
    else
        json.null();
}

void writeOptionalText(JsonWriter& json, const std::string& text) {
    if (text.empty())
        json.null();
    else
        json.value(text);
}

}  // namespace

void ServiceStatus::writeChatHealth(JsonWriter& json, const std::string& id, const Chat& chat,
                                    const std::vector<Scheduler::Entry>& schedule, Env::TimePoint steadyNow,
                                    std::int64_t wallNowMs) const {
    json.beginObject().key("chat_id").value(id);
    json.key("status").value(chat.lastResult.empty() ? "pending" : chat.lastResult);
    writeOptionalTime(json.key("last_success"), chat.lastSuccessMs);
    writeOptionalTime(json.key("last_error_at"), chat.lastErrorMs);
    writeOptionalText(json.key("last_error"), chat.lastError);
    json.key("messages_archived").value(chat.archived);
    std::optional<std::string> next;
    for (const auto& e : schedule)
        if (e.chatId == id) {
            next = e.running
                       ? std::string("running")
                       : formatIsoUtc(
                             wallNowMs +
                             std::chrono::duration_cast<std::chrono::milliseconds>(e.nextRun - steadyNow).count());
            json.key("failures_in_a_row").value(e.failuresInARow);
        }
    json.key("next_run").value(next);
    json.key("media").beginObject();
    const auto media = _mediaFiles.find(id);
    for (const auto state : kAllMediaStates) {
        std::int64_t files = 0;
        if (media != _mediaFiles.end())
            if (const auto it = media->second.find(state); it != media->second.end()) files = it->second;
        json.key(std::string(mediaStateName(state))).value(files);
    }
    json.endObject();
    json.key("warnings").beginArray();
    for (const auto& w : chat.warnings) json.value(w);
    if (!chat.summaryError.empty()) json.value("summary not posted: " + chat.summaryError);
    json.endArray().endObject();
}

std::pair<int, std::string> ServiceStatus::health(const std::vector<Scheduler::Entry>& schedule,
                                                  Env::TimePoint steadyNow, std::int64_t wallNowMs) const {
    std::lock_guard lock(_mutex);
    bool healthy = _authError.empty() && _discoveryError.empty();
    for (const auto& [id, chat] : _chats) healthy = healthy && chat.lastResult != "failed";
    std::string body;
    JsonWriter json(body);
    json.beginObject().key("status").value(healthy ? "ok" : "failing");
    writeOptionalText(json.key("auth_error"), _authError);
    writeOptionalText(json.key("discovery_error"), _discoveryError);
    json.key("chats").beginArray();
    for (const auto& [id, chat] : _chats) writeChatHealth(json, id, chat, schedule, steadyNow, wallNowMs);
    json.endArray().endObject();
    body += '\n';
    return {healthy ? 200 : 503, body};
}

void ServiceStatus::setMediaFiles(const std::string& chatId, const std::map<MediaState, std::int64_t>& files) {
    std::lock_guard lock(_mutex);
    _mediaFiles[chatId] = files;
}

void ServiceStatus::recordMediaOutcome(MediaState state, std::optional<std::int64_t> bytes, bool requested) {
    if (!requested) return;
    std::lock_guard lock(_mutex);
    ++_mediaDownloads[state];
    if (state == MediaState::Saved && bytes) _mediaBytes += static_cast<std::uint64_t>(*bytes);
}

void ServiceStatus::appendMediaMetrics(std::string& out) const {
    metricHeader(out, "okarchive_media_files",
                 "Attachments' media in the archive's ledger, by state (missing media is a number here).", "gauge");
    for (const auto state : kAllMediaStates) {
        std::int64_t files = 0;
        for (const auto& [chat, byState] : _mediaFiles)
            if (const auto it = byState.find(state); it != byState.end()) files += it->second;
        sample(out, "okarchive_media_files", fmt::format("state=\"{}\"", mediaStateName(state)), std::to_string(files));
    }
    metricHeader(out, "okarchive_media_downloads_total",
                 "Media downloads finished, by the state they left the file in.", "counter");
    for (const auto state : kAllMediaStates) {
        if (state == MediaState::Pending) continue;
        const auto it = _mediaDownloads.find(state);
        sample(out, "okarchive_media_downloads_total", fmt::format("result=\"{}\"", mediaStateName(state)),
               std::to_string(it == _mediaDownloads.end() ? 0 : it->second));
    }
    metricHeader(out, "okarchive_media_bytes_total", "Bytes of media downloaded and saved.", "counter");
    sample(out, "okarchive_media_bytes_total", "", std::to_string(_mediaBytes));
}

void ServiceStatus::recordDispatcherCycle() {
    std::lock_guard lock(_mutex);
    ++_dispatcherCycles;
}

void ServiceStatus::appendChatMetrics(std::string& out) const {
    using Value = std::optional<std::string>;
    const auto perChat = [&](std::string_view name, std::string_view help, std::string_view type, auto value) {
        metricHeader(out, name, help, type);
        for (const auto& [id, chat] : _chats)
            if (const Value v = value(chat)) sample(out, name, chatLabel(id), *v);
    };
    const auto count = [](std::uint64_t n) { return Value(std::to_string(n)); };
    perChat("okarchive_archive_messages", "Messages held in the archive, per chat.", "gauge",
            [](const Chat& c) { return Value(std::to_string(c.archived)); });
    metricHeader(out, "okarchive_sync_runs_total", "Finished sync runs, per chat and result.", "counter");
    for (const auto& [id, chat] : _chats)
        for (const auto& [result, n] : withEvery(chat.runs, runResults()))
            sample(out, "okarchive_sync_runs_total", fmt::format("{},result=\"{}\"", chatLabel(id), label(result)),
                   std::to_string(n));
    perChat("okarchive_last_success_timestamp_seconds",
            "When each chat last synced successfully, in seconds since the epoch (0: not since serve started).",
            "gauge", [](const Chat& c) {
                return Value(number(c.lastSuccessMs ? static_cast<double>(*c.lastSuccessMs) / 1000.0 : 0.0));
            });
    perChat("okarchive_last_sync_duration_seconds", "How long each chat's last sync run took.", "gauge",
            [](const Chat& c) { return c.lastSeconds ? Value(number(*c.lastSeconds)) : Value(); });
    perChat("okarchive_digests_posted_total", "Digests posted into each chat.", "counter",
            [&](const Chat& c) { return count(c.digestsPosted); });
    perChat("okarchive_digests_failed_total", "Attempts to post a chat's digest that failed (retried next cycle).",
            "counter", [&](const Chat& c) { return count(c.digestsFailed); });
}

std::string ServiceStatus::metrics(std::int64_t archiveBytes) const {
    std::lock_guard lock(_mutex);
    std::string out;
    metricHeader(out, "okarchive_build_info", "The version of the running okarchive (the value is always 1).", "gauge");
    sample(out, "okarchive_build_info", fmt::format("version=\"{}\"", label(OKARCHIVE_VERSION)), "1");
    appendChatMetrics(out);
    appendDurationHistogram(out, _durationCounts, _durationSum, _durationCount);
    metricHeader(out, "okarchive_api_requests_total",
                 "HTTP exchanges with the Graph API, by HTTP status or OK error code.", "counter");
    for (const auto& [code, n] : _apiRequests)
        sample(out, "okarchive_api_requests_total", fmt::format("code=\"{}\"", label(code)), std::to_string(n));
    metricHeader(out, "okarchive_api_retries_total", "Graph API requests sent again after a transient failure.",
                 "counter");
    for (const auto& [reason, n] : withEvery(_apiRetries, retryReasons()))
        sample(out, "okarchive_api_retries_total", fmt::format("reason=\"{}\"", label(reason)), std::to_string(n));
    metricHeader(out, "okarchive_dispatcher_cycles_total", "Rounds of the dispatcher that plans and starts syncs.",
                 "counter");
    sample(out, "okarchive_dispatcher_cycles_total", "", std::to_string(_dispatcherCycles));
    appendMediaMetrics(out);
    metricHeader(out, "okarchive_archive_bytes", "Size of the SQLite archive on disk (database and WAL).", "gauge");
    sample(out, "okarchive_archive_bytes", "", std::to_string(archiveBytes));
    return out;
}

}  // namespace okarchive
