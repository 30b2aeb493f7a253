#pragma once

#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/ReadSnapshot.h"
#include "store/sqlite/Database.h"

namespace okarchive {

/// The reads of the SQLite archive over one connection: what Archive reads directly and what a snapshot reads
/// inside its transaction. Does not own the connection.
class SqliteReader : public ReadSnapshot {
public:
    /// `path` only names the file in error messages. `watch` (if any, outliving the reader) is checked at the end of
    /// every streamed read: a cursor's last step, a statistics pass.
    SqliteReader(SQLite::Database& db, const std::string& path, const ImmutableFileWatch* watch = nullptr)
        : _db(db), _path(path), _watch(watch) {}

    std::optional<ChatInfo> chatInfo(const std::string& chatId) override;
    std::optional<std::string> latestSenderName(const std::string& userId) override;
    std::int64_t messageCount(const std::string& chatId) override;
    std::int64_t countMessages(const MessageQuery& query) override;
    std::optional<Message> findMessage(const std::string& chatId, const std::string& mid) override;
    std::vector<MessageRevision> messageRevisions(const std::string& chatId, const std::string& mid) override;
    std::unique_ptr<MessageCursor> openCursor(const MessageQuery& query) override;
    std::vector<MediaCount> mediaCounts(const MessageQuery& query) override;

    RangeBounds rangeBounds(const StatsRange& range) override;
    void forEachReply(const StatsRange& range, const std::function<void(std::int64_t, std::int64_t)>& visit) override;
    void forEachMessage(const StatsRange& range,
                        const std::function<void(std::int64_t, std::string_view, std::int64_t)>& visit) override;
    void forEachServiceMessage(const StatsRange& range, const std::function<void(std::int64_t)>& visit) override;
    void forEachServiceQuarter(
        const StatsRange& range,
        const std::function<void(std::int64_t, std::optional<std::string_view>, std::int64_t)>& visit) override;
    void forEachAttachment(std::int64_t lowKey, std::int64_t highKey,
                           const std::function<void(std::int64_t, std::string_view)>& visit) override;
    std::optional<std::int64_t> timestampOfKey(std::int64_t key) override;
    void forEachChange(const StatsRange& range,
                       const std::function<void(std::int64_t, std::string_view, ChangeKind)>& visit) override;

private:
    template <class Body>
    decltype(auto) guard(const std::string& action, Body&& body);
    void checkUnchanged() const {
        if (_watch) _watch->check();
    }

    SQLite::Database& _db;
    std::string _path;
    const ImmutableFileWatch* _watch;
    std::optional<SQLite::Statement> _senderName;      // prepared on first use: statistics ask once per sender
    std::optional<SQLite::Statement> _timestampOfKey;  // and once per reply target outside the range
};

}  // namespace okarchive
