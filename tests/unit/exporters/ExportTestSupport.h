#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/Errors.h"
#include "domain/Message.h"
#include "domain/MessageCursor.h"
#include "exporters/ExportJob.h"
#include "exporters/ReplyResolver.h"

namespace okarchive::test {

/// Yields a vector of messages; optionally throws StorageError before the message at `throwAt`.
class VectorCursor : public MessageCursor {
public:
    explicit VectorCursor(const std::vector<Message>& messages, std::optional<std::size_t> throwAt = std::nullopt)
        : _messages(messages), _throwAt(throwAt) {}
    bool next() override {
        if (_throwAt && _next == *_throwAt) throw StorageError("test cursor: the disk went away");
        if (_next >= _messages.size()) return false;
        _current = &_messages[_next++];
        return true;
    }
    const Message& current() const override { return *_current; }

private:
    const std::vector<Message>& _messages;
    std::optional<std::size_t> _throwAt;
    std::size_t _next = 0;
    const Message* _current = nullptr;
};

/// Generates messages on the fly (constant memory), numbered from 0.
class GeneratedCursor : public MessageCursor {
public:
    GeneratedCursor(std::uint64_t count, std::function<void(Message&, std::uint64_t)> fill)
        : _count(count), _fill(std::move(fill)) {}
    bool next() override {
        if (_index >= _count) return false;
        _fill(_message, _index++);
        return true;
    }
    const Message& current() const override { return _message; }

private:
    std::uint64_t _count;
    std::uint64_t _index = 0;
    std::function<void(Message&, std::uint64_t)> _fill;
    Message _message;
};

/// Answers reply lookups from the messages of a vector (as the store's indexed lookup would).
class VectorReplyResolver : public ReplyResolver {
public:
    explicit VectorReplyResolver(const std::vector<Message>& messages) {
        for (const auto& m : messages) {
            std::string snippet = m.text.value_or("");
            _targets[m.mid] = ReplyTarget{m.mid, m.timestamp, m.seq, m.senderName, snippet, true};
        }
    }
    std::optional<ReplyTarget> find(const std::string& mid) override {
        ++lookups;
        auto it = _targets.find(mid);
        if (it == _targets.end()) return std::nullopt;
        return it->second;
    }
    void add(ReplyTarget target) { _targets[target.mid] = std::move(target); }
    int lookups = 0;

private:
    std::map<std::string, ReplyTarget> _targets;
};

inline Message textMessage(std::string mid, std::int64_t timestamp, std::int64_t seq, std::string senderId,
                           std::string senderName, std::optional<std::string> text) {
    Message m;
    m.chatId = "chat:C3ecb9d02a600";
    m.mid = std::move(mid);
    m.timestamp = timestamp;
    m.seq = seq;
    m.senderId = std::move(senderId);
    m.senderName = std::move(senderName);
    m.text = std::move(text);
    return m;
}

inline Message serviceMessage(std::string mid, std::int64_t timestamp, std::int64_t seq, std::string senderId,
                              std::string senderName, std::string rawText, std::string type,
                              std::optional<std::string> userId) {
    Message m =
        textMessage(std::move(mid), timestamp, seq, std::move(senderId), std::move(senderName), std::move(rawText));
    m.service = ServiceEvent{std::move(type), std::move(userId)};
    return m;
}

/// A fresh empty directory under the system temp dir, removed (with its contents) on destruction.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        _path = std::filesystem::temp_directory_path() / ("okarchive-export-test-" + std::to_string(rd()));
        std::filesystem::create_directories(_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::permissions(_path, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(_path, ec);
    }
    const std::filesystem::path& path() const { return _path; }
    std::string file(const std::string& name) const { return (_path / name).string(); }
    /// Every entry in the directory (hidden temporary files included), sorted.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(_path)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    std::filesystem::path _path;
};

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::size_t countOccurrences(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

/// A request over a vector of messages with the fixed header fields the golden files use.
inline ExportRequest requestFor(const std::vector<Message>& messages, const std::string& format,
                                const std::string& path) {
    ExportRequest r;
    r.format = format;
    r.outputPath = path;
    r.chatId = "chat:C3ecb9d02a600";
    r.chatTitle = "Семейный чат";
    r.chatType = "CHAT";
    r.filterJson = "{}";
    r.exportedAtMs = 1700000000000;
    r.totalMessages = messages.size();
    r.openCursor = [&messages] { return std::make_unique<VectorCursor>(messages); };
    return r;
}

}  // namespace okarchive::test
