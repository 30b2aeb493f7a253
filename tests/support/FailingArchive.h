#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/Errors.h"
#include "store/Archive.h"

namespace okarchive::test {

/// An Archive over a real one whose writes (and, when asked, reads) fail with a StorageError, as on a full disk,
/// a read-only database or a lock held past its timeout. Each failure names its operation and is counted.
class FailingArchive : public Archive {
public:
    explicit FailingArchive(Archive& real) : _real(real) {}

    bool failWrites = true;
    bool failReads = false;
    std::string only;                   ///< when set, only this operation fails (e.g. "record a sync run")
    std::vector<std::string> failures;  ///< the operations refused, in order

    PageWriteResult commitPage(const std::string& chatId, const std::vector<Message>& messages,
                               const std::vector<TimeRange>& proven) override {
        write("commit a page");
        return _real.commitPage(chatId, messages, proven);
    }
    PageWriteResult commitRecheckPage(const std::string& chatId, const std::vector<Message>& messages,
                                      const std::vector<TimeRange>& proven, const RecheckStep& step) override {
        write("commit a page");
        return _real.commitRecheckPage(chatId, messages, proven, step);
    }
    void startRecheck(const std::string& chatId, TimeRange window) override {
        write("start a re-check"), _real.startRecheck(chatId, window);
    }
    RecheckState recheckState(const std::string& chatId) override {
        return read("read a re-check"), _real.recheckState(chatId);
    }
    CoverageSet coverage(const std::string& chatId) override { return read("read coverage"), _real.coverage(chatId); }
    std::vector<QuarantinedMessage> quarantined(const std::string& chatId) override {
        return read("read the quarantine"), _real.quarantined(chatId);
    }
    void upsertChat(const ChatInfo& info) override { write("store a chat"), _real.upsertChat(info); }
    void ensureChat(const std::string& chatId) override { write("store a chat"), _real.ensureChat(chatId); }
    std::vector<std::string> archivedChatIds() override { return read("list chats"), _real.archivedChatIds(); }
    std::vector<std::string> neverArchivedChatIds() override {
        return read("list chats"), _real.neverArchivedChatIds();
    }
    std::optional<bool> fromBoundInclusive(const std::string& chatId) override {
        return read("read a chat"), _real.fromBoundInclusive(chatId);
    }
    void setFromBoundInclusive(const std::string& chatId, bool inclusive) override {
        write("store a chat"), _real.setFromBoundInclusive(chatId, inclusive);
    }
    void recordWarning(const SyncWarning& warning) override { write("record a warning"), _real.recordWarning(warning); }
    void recordSyncRun(const SyncRunRecord& run) override { write("record a sync run"), _real.recordSyncRun(run); }
    std::vector<SyncRunRecord> syncRuns(const std::string& chatId) override {
        return read("read runs"), _real.syncRuns(chatId);
    }
    std::vector<ChatStatus> chatStatuses() override { return read("read statuses"), _real.chatStatuses(); }
    std::vector<std::string> neverSyncedChatIds() override { return read("list chats"), _real.neverSyncedChatIds(); }
    std::optional<DigestRow> findDigest(const std::string& chatId, std::int64_t start, std::int64_t end) override {
        return read("read digests"), _real.findDigest(chatId, start, end);
    }
    std::vector<DigestRow> digests(const std::string& chatId) override {
        return read("read digests"), _real.digests(chatId);
    }
    std::vector<std::pair<DigestPeriod, std::string>> pendingDigests(const std::string& chatId) override {
        return read("read digests"), _real.pendingDigests(chatId);
    }
    std::int64_t recordDigestIntent(const std::string& chatId, const DigestPeriod& period, const std::string& text,
                                    bool forced, std::int64_t nowMs) override {
        write("record a digest");
        return _real.recordDigestIntent(chatId, period, text, forced, nowMs);
    }
    void recordDigestPosted(std::int64_t id, std::int64_t nowMs) override {
        write("record a digest"), _real.recordDigestPosted(id, nowMs);
    }
    void recordDigestFailure(std::int64_t id, const std::string& error) override {
        write("record a digest"), _real.recordDigestFailure(id, error);
    }
    std::optional<std::int64_t> findArchivedText(const std::string& chatId, const std::string& text,
                                                 std::int64_t sinceMs, std::int64_t attemptedAtMs) override {
        return read("read messages"), _real.findArchivedText(chatId, text, sinceMs, attemptedAtMs);
    }
    std::vector<std::int64_t> untaggedDigestMessages(const std::string& chatId, std::int64_t clockSlackMs) override {
        return read("read digests"), _real.untaggedDigestMessages(chatId, clockSlackMs);
    }
    int tagArchivedDigests(const std::string& chatId, std::int64_t clockSlackMs) override {
        write("tag digests");
        return _real.tagArchivedDigests(chatId, clockSlackMs);
    }
    std::optional<ChatInfo> chatInfo(const std::string& chatId) override {
        return read("read a chat"), _real.chatInfo(chatId);
    }
    std::optional<std::string> latestSenderName(const std::string& userId) override {
        return read("read names"), _real.latestSenderName(userId);
    }
    std::int64_t messageCount(const std::string& chatId) override {
        return read("count messages"), _real.messageCount(chatId);
    }
    std::int64_t countMessages(const MessageQuery& query) override {
        return read("count messages"), _real.countMessages(query);
    }
    std::optional<Message> findMessage(const std::string& chatId, const std::string& mid) override {
        return read("read messages"), _real.findMessage(chatId, mid);
    }
    std::vector<MessageRevision> messageRevisions(const std::string& chatId, const std::string& mid) override {
        return read("read messages"), _real.messageRevisions(chatId, mid);
    }
    std::unique_ptr<MessageCursor> openCursor(const MessageQuery& query) override {
        return read("read messages"), _real.openCursor(query);
    }
    std::vector<MediaCount> mediaCounts(const MessageQuery& query) override {
        return read("count media"), _real.mediaCounts(query);
    }
    std::int64_t seedMedia(const std::string& chatId) override {
        write("seed media");
        return _real.seedMedia(chatId);
    }
    std::vector<MediaItem> mediaToFetch(const std::string& chatId, std::size_t limit, int maxAttempts) override {
        return read("read media"), _real.mediaToFetch(chatId, limit, maxAttempts);
    }
    std::optional<AttachmentMedia> savedMedia(const std::string& identity) override {
        return read("read media"), _real.savedMedia(identity);
    }
    void recordMediaOutcome(const std::string& chatId, const std::string& mid, int position,
                            const MediaOutcome& outcome) override {
        write("record media"), _real.recordMediaOutcome(chatId, mid, position, outcome);
    }
    void recordMediaRefresh(const std::string& chatId, const std::string& mid, int position) override {
        write("record media"), _real.recordMediaRefresh(chatId, mid, position);
    }
    std::vector<MediaCount> mediaCounts(const std::optional<std::string>& chatId) override {
        return read("count media"), _real.mediaCounts(chatId);
    }
    std::vector<MediaItem> mediaItems(const std::optional<std::string>& chatId,
                                      std::optional<MediaState> state) override {
        return read("read media"), _real.mediaItems(chatId, state);
    }
    std::vector<MediaRevision> mediaRevisions(const std::string& chatId, const std::string& mid) override {
        return read("read media"), _real.mediaRevisions(chatId, mid);
    }
    std::unique_ptr<ReadSnapshot> snapshot() override { return read("take a snapshot"), _real.snapshot(); }
    std::string integrityCheck() override { return _real.integrityCheck(); }
    const std::string& path() const override { return _real.path(); }

private:
    void write(const std::string& action) {
        if (failWrites && (only.empty() || only == action)) refuse(action);
    }
    void read(const std::string& action) {
        if (failReads && (only.empty() || only == action)) refuse(action);
    }
    void refuse(const std::string& action) {
        failures.push_back(action);
        throw StorageError("archive " + _real.path() + ": cannot " + action + ": database or disk is full");
    }

    Archive& _real;
};

}  // namespace okarchive::test
