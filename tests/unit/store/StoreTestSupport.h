#pragma once

// Helpers shared by the store tests: a self-cleaning temporary directory and message builders.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "domain/JsonText.h"
#include "domain/MediaLink.h"
#include "domain/Message.h"

namespace okarchive::test {

/// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        std::random_device random;
        _path = std::filesystem::temp_directory_path() / ("okarchive-store-test-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(counter++) + "-" + std::to_string(random()));
        std::filesystem::create_directories(_path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return (_path / name).string(); }
    const std::filesystem::path& path() const { return _path; }

private:
    std::filesystem::path _path;
};

/// A plain message; its raw JSON is built from its fields the way the API shapes it.
inline Message makeMessage(const std::string& chatId, const std::string& mid, std::int64_t timestamp, std::int64_t seq,
                           std::optional<std::string> text = std::string("hello"),
                           const std::string& senderId = "user:1", const std::string& senderName = "Ann") {
    Message m;
    m.chatId = chatId;
    m.mid = mid;
    m.seq = seq;
    m.timestamp = timestamp;
    m.senderId = senderId;
    m.senderName = senderName;
    m.text = std::move(text);
    m.rawJson = "{\"sender\":{\"name\":" + jsonString(senderName) + ",\"user_id\":" + jsonString(senderId) +
                "},\"recipient\":{\"chat_id\":" + jsonString(chatId) + "},\"message\":{" +
                (m.text ? "\"text\":" + jsonString(*m.text) + "," : std::string()) + "\"seq\":" + std::to_string(seq) +
                ",\"mid\":" + jsonString(mid) + "},\"timestamp\":" + std::to_string(timestamp) + "}";
    return m;
}

/// Adds an attachment and notes it in the raw JSON so the content differs from the message without it.
inline void addAttachment(Message& m, const std::string& type, const std::string& payloadJson) {
    m.attachments.push_back({type, payloadJson});
    m.rawJson.insert(m.rawJson.size() - 1, ",\"_att" + std::to_string(m.attachments.size()) + "\":" + payloadJson);
}

/// `message` as readers return it right after its first commitPage: each attachment with media (mediaSource) carries
/// its fresh, pending media ledger entry.
inline Message asArchived(Message message) {
    for (auto& attachment : message.attachments)
        if (mediaSource(attachment.type, attachment.payloadJson)) attachment.media = AttachmentMedia{};
    return message;
}
inline std::vector<Message> asArchived(std::vector<Message> messages) {
    for (auto& message : messages) message = asArchived(std::move(message));
    return messages;
}

/// A service message {"ui":...,"ty":...}.
inline Message makeServiceMessage(const std::string& chatId, const std::string& mid, std::int64_t timestamp,
                                  std::int64_t seq, const std::string& type, const std::string& ui) {
    std::string text = "{\"ui\":" + ui + ",\"ty\":\"" + type + "\"}";
    Message m = makeMessage(chatId, mid, timestamp, seq, text);
    m.service = ServiceEvent{type, "user:" + ui};
    return m;
}

/// Four messages of `chat` at 1000..4000 covering the shapes: attachments (a url to extract, one escaped, none,
/// a null payload), a missing and an empty text, a service event.
inline std::vector<Message> variedPage(const std::string& chat) {
    std::vector<Message> page;
    auto a = makeMessage(chat, "mid:a", 1000, 10, "first");
    addAttachment(a, "IMAGE", R"({"url":"https://i.example/1.jpg","token":"t1"})");
    addAttachment(a, "SHARE", R"({"title":"x","url":"https:\/\/ya.ru\/?q=\u00e9"})");
    page.push_back(a);
    page.push_back(makeMessage(chat, "mid:b", 2000, 20, std::nullopt, "user:2", "Bob"));
    page.push_back(makeServiceMessage(chat, "mid:c", 3000, 30, "EXIT", "2"));
    auto d = makeMessage(chat, "mid:d", 4000, 40, "");
    addAttachment(d, "MYSTERY_NEW_TYPE", R"({"nested":{"url":"not top level"},"n":[1,2,{"u":"]"}]})");
    addAttachment(d, "STICKER", "null");
    page.push_back(d);
    return page;
}

}  // namespace okarchive::test
