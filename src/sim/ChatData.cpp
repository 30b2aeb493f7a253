#include "sim/ChatData.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "sim/Rng.h"
#include "sim/TextPools.h"

namespace okarchive::sim {
namespace {

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace

ChatData::ChatData(const ChatSpec& spec, std::size_t chatIndex, std::uint64_t seed,
                   const std::vector<std::size_t>& clusters, std::size_t userCount, std::int64_t rangeStart,
                   std::int64_t rangeEnd)
    : _chatId(spec.chatId),
      _midPrefix("mid:" + spec.chatId.substr(spec.chatId.rfind(':') + 1) + "."),
      _access(spec.access),
      _contentSeed(mix64(seed ^ mix64(fnv1a(spec.chatId)))) {
    Rng rng(_contentSeed ^ 0x74696d656c696e65ULL);
    const auto& titles = chatTitles();
    _title = spec.title.empty() ? std::string(titles[chatIndex % titles.size()]) : spec.title;

    chooseMembers(rng, chatIndex, userCount);
    _createdAt = rangeStart - 86400000LL * static_cast<std::int64_t>(1 + rng.below(30));

    const std::size_t clusterSum = std::accumulate(clusters.begin(), clusters.end(), std::size_t{0});
    const std::size_t total = std::max(spec.messages, clusterSum);
    const std::size_t ordinary = total - clusterSum;
    const double groupsEstimate = static_cast<double>(ordinary) / 1.2 + static_cast<double>(clusters.size()) + 1.0;
    const auto meanGap = std::max<std::int64_t>(
        2, static_cast<std::int64_t>(static_cast<double>(rangeEnd - rangeStart) / groupsEstimate));
    _entries.reserve(total);
    generateTimeline(rng, ordinary, clusters, meanGap, rangeStart);
    if (total >= 10) {
        _bigTextIndex = total / 3;
        _loneSurrogateIndex = total * 2 / 5;
    }
}

void ChatData::chooseMembers(Rng& rng, std::size_t chatIndex, std::size_t userCount) {
    std::size_t count = userCount;
    std::size_t start = 0;
    if (chatIndex > 0 && userCount > 8) {
        count = 8 + rng.below(userCount - 7);
        start = rng.below(userCount);
    }
    const std::size_t step = std::gcd(std::size_t{7}, userCount) == 1 ? 7 : 1;
    for (std::size_t k = 0; k < count; ++k) _members.push_back((start + k * step) % userCount);
}

void ChatData::generateTimeline(Rng& rng, std::size_t ordinary, const std::vector<std::size_t>& clusters,
                                std::int64_t meanGap, std::int64_t start) {
    const std::size_t total = ordinary + std::accumulate(clusters.begin(), clusters.end(), std::size_t{0});
    std::int64_t ts = start;
    auto emitGroup = [&](std::size_t n) {
        ts += 1 + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(2 * meanGap - 1)));
        const std::uint64_t room = n < 65536 ? 65536 - n : 1;
        const auto base = static_cast<std::int64_t>(rng.below(std::min<std::uint64_t>(256, room)));
        for (std::size_t j = 0; j < n; ++j)
            _entries.push_back(Entry{ts, (ts << 16) + base + static_cast<std::int64_t>(j), 0, EntryOrigin::Generated});
    };
    std::size_t emitted = 0;  // ordinary messages so far
    std::size_t nextCluster = 0;
    const std::size_t clusterCount = clusters.size();
    auto threshold = [&](std::size_t k) { return ordinary * (k + 1) / (clusterCount + 1); };
    while (_entries.size() < total) {
        if (nextCluster < clusterCount && emitted >= threshold(nextCluster)) {
            emitGroup(clusters[nextCluster]);
            ++nextCluster;
            continue;
        }
        const std::size_t natural = rng.below(100) < 8 ? 2 + rng.below(4) : 1;
        const std::size_t limit = nextCluster < clusterCount ? threshold(nextCluster) - emitted : ordinary - emitted;
        const std::size_t n = std::min(natural, limit);
        emitGroup(n);
        emitted += n;
    }
}

std::string ChatData::midOf(std::size_t index) const {
    char hex[24];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(_entries[index].seq));
    return _midPrefix + hex;
}

std::optional<std::size_t> ChatData::indexOf(const std::string& mid) const {
    if (mid.size() <= _midPrefix.size() || mid.compare(0, _midPrefix.size(), _midPrefix) != 0) return std::nullopt;
    std::int64_t seq = 0;
    try {
        std::size_t used = 0;
        seq = static_cast<std::int64_t>(std::stoull(mid.substr(_midPrefix.size()), &used, 16));
        if (used != mid.size() - _midPrefix.size()) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < _entries.size(); ++i)
        if (_entries[i].seq == seq) return i;
    return std::nullopt;
}

std::pair<std::size_t, std::size_t> ChatData::range(std::int64_t from, std::int64_t to, bool inclusive) const {
    auto tsLess = [](const Entry& e, std::int64_t t) { return e.timestamp < t; };
    auto lessTs = [](std::int64_t t, const Entry& e) { return t < e.timestamp; };
    std::vector<Entry>::const_iterator lo, hi;
    if (inclusive) {
        hi = std::upper_bound(_entries.begin(), _entries.end(), from, lessTs);  // first ts > from
        lo = std::lower_bound(_entries.begin(), _entries.end(), to, tsLess);    // first ts >= to
    } else {
        hi = std::lower_bound(_entries.begin(), _entries.end(), from, tsLess);  // first ts >= from
        lo = std::upper_bound(_entries.begin(), _entries.end(), to, lessTs);    // first ts > to
    }
    const auto first = static_cast<std::size_t>(lo - _entries.begin());
    const auto last = static_cast<std::size_t>(hi - _entries.begin());
    return {first, std::max(first, last)};
}

std::int64_t ChatData::nextTimestamp(std::int64_t nowMs) const { return std::max(nowMs, lastTimestamp() + 1); }

std::size_t ChatData::appendOrdinary(std::int64_t nowMs) {
    const std::int64_t ts = nextTimestamp(nowMs);
    const auto low = static_cast<std::int64_t>(mix64(_contentSeed + ++_appendCounter) % 256);
    _entries.push_back(Entry{ts, (ts << 16) + low, 0, EntryOrigin::Ordinary});
    return _entries.size() - 1;
}

std::size_t ChatData::appendCustom(SimMessage content, std::int64_t nowMs) {
    const std::int64_t ts = nextTimestamp(nowMs);
    const auto low = static_cast<std::int64_t>(mix64(_contentSeed + ++_appendCounter) % 256);
    _customs.push_back(std::move(content));
    _entries.push_back(
        Entry{ts, (ts << 16) + low, static_cast<std::uint32_t>(_customs.size() - 1), EntryOrigin::Custom});
    return _entries.size() - 1;
}

}  // namespace okarchive::sim
