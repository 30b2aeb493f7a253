#pragma once

// A scripted stand-in for the history endpoint: a chat held in memory, answered the way the real service might
// (inclusive or exclusive bounds, each on its own; a silent cap on count), with every request recorded.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "api/HistorySource.h"
#include "domain/Errors.h"

namespace okarchive::testing {

class ScriptedHistory : public HistorySource {
public:
    bool fromInclusive = true;
    bool toInclusive = true;
    int cap = 100;
    std::vector<Message> messages;  // any order; served newest first by (timestamp, seq)
    std::vector<HistoryRequest> requests;
    int failAfterRequests = -1;  // throw an ApiError on this request number (0-based), once

    void add(std::int64_t timestamp, int n = 1) {
        for (int i = 0; i < n; ++i) {
            Message m;
            m.chatId = "chat:T";
            m.seq = nextSeq++;
            m.mid = "mid:T." + std::to_string(m.seq);
            m.timestamp = timestamp;
            m.text = "m" + std::to_string(m.seq);
            m.rawJson = "{\"mid\":\"" + m.mid + "\"}";
            messages.push_back(m);
        }
    }

    std::vector<Message> fetch(const std::string&, const HistoryRequest& r) override {
        if (failAfterRequests >= 0 && static_cast<int>(requests.size()) == failAfterRequests) {
            failAfterRequests = -1;
            throw ApiError("scripted failure", 2, 200);
        }
        requests.push_back(r);
        const std::int64_t from = r.from.value_or(INT64_MAX);
        if (from <= r.to) throw ApiError("from must be greater than to", 100, 200);
        std::vector<Message> hits;
        for (const auto& m : messages) {
            bool belowFrom = fromInclusive ? m.timestamp <= from : m.timestamp < from;
            bool aboveTo = toInclusive ? m.timestamp >= r.to : m.timestamp > r.to;
            if (belowFrom && aboveTo) hits.push_back(m);
        }
        std::sort(hits.begin(), hits.end(), [](const Message& a, const Message& b) {
            return a.timestamp != b.timestamp ? a.timestamp > b.timestamp : a.seq > b.seq;
        });
        hits.resize(std::min<std::size_t>(hits.size(), std::min(r.count, cap)));
        return hits;
    }

private:
    std::int64_t nextSeq = 98211023614189660;
};

}  // namespace okarchive::testing
