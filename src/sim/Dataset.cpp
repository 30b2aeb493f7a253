#include "sim/Dataset.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "sim/IsoTime.h"
#include "sim/JsonEscape.h"
#include "sim/MessageEncoder.h"
#include "sim/Rng.h"

namespace okarchive::sim {
namespace {

constexpr std::int64_t kRangeEnd = 1498581292941LL;              // the API notes' example message
constexpr std::int64_t kRangeStart = kRangeEnd - 31536000000LL;  // one year earlier
constexpr std::size_t kMaxCluster = 65000;                       // seq keeps 16 bits for the position in a millisecond

std::vector<ChatSpec> effectiveChats(const SimConfig& config) {
    if (!config.chats.empty()) return config.chats;
    ChatSpec spec;
    spec.chatId = "chat:C3ecb9d02a600";
    spec.title = "OK Archive Demo";
    spec.messages = 20000;
    return {spec};
}

}  // namespace

Dataset::Dataset(const SimConfig& config)
    : _users(config.seed, kRangeStart, kRangeEnd),
      _media(std::make_unique<MediaCatalog>(config)),
      _factory(_users, config.media == SimConfig::Media::Local, config.mediaMaxSize) {
    _groupId = "group:" + std::to_string(53000000000000ULL + mix64(config.seed ^ 0x67726f7570ULL) % 999999999999ULL);
    const auto specs = effectiveChats(config);
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const ChatSpec& spec = specs[i];
        if (spec.chatId.rfind("chat:", 0) != 0 || spec.chatId.size() <= 5)
            throw std::invalid_argument("chat id '" + spec.chatId + "' must look like chat:ID");
        if (_byId.count(spec.chatId) != 0) throw std::invalid_argument("chat " + spec.chatId + " is configured twice");
        std::vector<std::size_t> clusters = config.clusters;
        clusters.insert(clusters.end(), spec.clusters.begin(), spec.clusters.end());
        for (std::size_t size : clusters)
            if (size == 0 || size > kMaxCluster)
                throw std::invalid_argument("cluster size " + std::to_string(size) + " must be 1.." +
                                            std::to_string(kMaxCluster));
        _byId.emplace(spec.chatId, _chats.size());
        _chats.push_back(
            std::make_unique<ChatData>(spec, i, config.seed, clusters, _users.users().size(), kRangeStart, kRangeEnd));
    }
}

ChatData& Dataset::chat(const std::string& chatId) {
    auto it = _byId.find(chatId);
    if (it == _byId.end()) throw std::out_of_range("unknown chat " + chatId);
    return *_chats[it->second];
}

const ChatData& Dataset::chat(const std::string& chatId) const {
    auto it = _byId.find(chatId);
    if (it == _byId.end()) throw std::out_of_range("unknown chat " + chatId);
    return *_chats[it->second];
}

std::optional<ChatSpec::Access> Dataset::access(const std::string& chatId) const {
    auto it = _byId.find(chatId);
    if (it == _byId.end()) return std::nullopt;
    return _chats[it->second]->access();
}

ChatSummary Dataset::summarize(const ChatData& chat) const {
    ChatSummary summary;
    summary.chatId = chat.chatId();
    summary.title = chat.title();
    summary.access = chat.access();
    summary.participantsCount = chat.members().size();
    summary.ownerId = _users.user(chat.members().front()).userId;
    summary.lastEventTime = chat.lastTimestamp();
    summary.iconUrl = "https://i.mycdn.me/i?r=" + chat.chatId().substr(5) + "&fn=icon128";
    for (std::size_t k = 0; k < chat.members().size(); ++k)
        summary.participants.emplace_back(_users.user(chat.members()[k]).userId,
                                          chat.createdAt() + static_cast<std::int64_t>(k) * 3600000LL);
    return summary;
}

std::vector<ChatSummary> Dataset::listedChats() const {
    std::shared_lock lock(_mutex);
    std::vector<ChatSummary> out;
    for (const auto& chat : _chats)
        if (chat->access() != ChatSpec::Access::NotFound) out.push_back(summarize(*chat));
    return out;
}

std::optional<ChatSummary> Dataset::summary(const std::string& chatId) const {
    std::shared_lock lock(_mutex);
    auto it = _byId.find(chatId);
    if (it == _byId.end()) return std::nullopt;
    return summarize(*_chats[it->second]);
}

SimMessage Dataset::current(const ChatData& chat, std::size_t index) const {
    SimMessage message = _factory.build(chat, index);
    chat.changes().apply(index, message);
    return message;
}

void Dataset::appendPage(std::string& out, const std::string& chatId, std::int64_t from, std::int64_t to,
                         std::size_t count, bool inclusive, bool includeDeleted) const {
    std::shared_lock lock(_mutex);
    const ChatData& data = chat(chatId);
    const auto [first, last] = data.range(from, to, inclusive);
    out += "{\"messages\":[";
    std::size_t sent = 0;
    for (std::size_t i = last; i > first && sent < count; --i) {
        const bool deleted = data.changes().deleted(i - 1);
        if (deleted && !includeDeleted) continue;  // a real index no longer has it: the page holds `count` others
        if (sent++ != 0) out += ',';
        const std::size_t start = out.size();
        SimMessage message = current(data, i - 1);
        if (deleted) message.extraTopMembers += ",\"deleted\":true";
        appendWireMessage(out, message);
        resolveMediaPlaceholders(out, start, message.style,
                                 [this](MediaKind kind, std::string_view id) { return _media->mint(kind, id); });
    }
    out += "]}";
}

void Dataset::writeTruth(const std::string& chatId, bool reachableOnly, std::size_t pageCap,
                         const std::function<void(const std::string&)>& sink) const {
    constexpr std::size_t kChunk = 2048;
    std::size_t total = 0;
    const ChatData* data = nullptr;
    {
        std::shared_lock lock(_mutex);
        data = &chat(chatId);
        total = data->size();
    }
    std::size_t groupEnd = 0;     // [the current message, groupEnd): the rest of its millisecond
    std::size_t groupLive = 0;    // its messages not deleted
    std::size_t seenInGroup = 0;  // of those, passed so far
    std::string buffer;
    for (std::size_t begin = 0; begin < total; begin += kChunk) {
        buffer.clear();
        {
            std::shared_lock lock(_mutex);
            const std::size_t end = std::min(total, begin + kChunk);
            for (std::size_t i = begin; i < end; ++i) {
                const auto& changes = data->changes();
                if (changes.deleted(i)) continue;
                if (reachableOnly) {
                    if (i >= groupEnd) {  // the live messages of this millisecond, the oldest first
                        groupEnd = i + 1;
                        groupLive = 1;
                        const std::int64_t ts = data->entry(i).timestamp;
                        for (; groupEnd < total && data->entry(groupEnd).timestamp == ts; ++groupEnd)
                            if (!changes.deleted(groupEnd)) ++groupLive;
                        seenInGroup = 0;
                    }
                    if (groupLive > pageCap && seenInGroup++ < groupLive - pageCap) continue;
                }
                const std::size_t start = buffer.size();
                const SimMessage message = current(*data, i);
                appendTruthLine(buffer, message);  // payloads verbatim: links escaped in the message's wire style
                resolveMediaPlaceholders(buffer, start, message.style, [this](MediaKind kind, std::string_view id) {
                    return _media->latestLink(kind, id);
                });
            }
        }
        if (!buffer.empty()) sink(buffer);
    }
}

std::vector<std::string> Dataset::edit(const std::string& chatId, const std::vector<std::string>& mids,
                                       const std::optional<std::string>& text, bool dropAttachments) {
    std::unique_lock lock(_mutex);
    ChatData& data = chat(chatId);
    std::vector<std::string> unknown;
    for (const auto& mid : mids) {
        const auto index = data.indexOf(mid);
        if (!index) {
            unknown.push_back(mid);
            continue;
        }
        data.changes().edit(*index, current(data, *index), text, dropAttachments, nowMs());
    }
    return unknown;
}

std::vector<std::string> Dataset::setDeleted(const std::string& chatId, const std::vector<std::string>& mids,
                                             bool deleted) {
    std::unique_lock lock(_mutex);
    ChatData& data = chat(chatId);
    std::vector<std::string> unknown;
    for (const auto& mid : mids) {
        if (const auto index = data.indexOf(mid))
            data.changes().setDeleted(*index, deleted, nowMs());
        else
            unknown.push_back(mid);
    }
    return unknown;
}

void Dataset::changeRandom(bool deleteIt, std::uint64_t draw) {
    std::unique_lock lock(_mutex);
    for (auto& data : _chats) {
        if (data->access() == ChatSpec::Access::NotFound || data->size() == 0) continue;
        draw = mix64(draw + 1);
        const auto index = static_cast<std::size_t>(draw % data->size());
        if (data->changes().deleted(index)) continue;  // the next period picks another
        if (deleteIt)
            data->changes().setDeleted(index, true, nowMs());
        else
            data->changes().edit(index, current(*data, index), std::nullopt, false, nowMs());
    }
}

std::string Dataset::changesNdjson(const std::string& chatId) const {
    std::shared_lock lock(_mutex);
    const ChatData& data = chat(chatId);
    std::string out;
    for (const auto& record : data.changes().log()) {
        out += "{\"mid\":" + canonicalString(data.midOf(record.index)) + ",\"kind\":\"" + record.kind +
               "\",\"at\":" + std::to_string(record.atMs);
        if (record.kind == "edit")
            out += ",\"text_before\":" + (record.textBefore ? canonicalString(*record.textBefore) : std::string("null"));
        out += "}\n";
    }
    return out;
}

void Dataset::appendOrdinary(const std::string& chatId, std::size_t count) {
    std::unique_lock lock(_mutex);
    ChatData& data = chat(chatId);
    for (std::size_t i = 0; i < count; ++i) data.appendOrdinary(nowMs());
}

void Dataset::appendToAll() {
    std::unique_lock lock(_mutex);
    const std::int64_t now = nowMs();
    for (auto& data : _chats)
        if (data->access() != ChatSpec::Access::NotFound) data->appendOrdinary(now);
}

std::string Dataset::appendCustom(const std::string& chatId, SimMessage content) {
    std::unique_lock lock(_mutex);
    ChatData& data = chat(chatId);
    const std::size_t index = data.appendCustom(std::move(content), nowMs());
    return data.midOf(index);
}

std::size_t Dataset::messageCount(const std::string& chatId) const {
    std::shared_lock lock(_mutex);
    auto it = _byId.find(chatId);
    return it == _byId.end() ? 0 : _chats[it->second]->size();
}

}  // namespace okarchive::sim
