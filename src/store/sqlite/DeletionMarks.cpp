#include "store/sqlite/DeletionMarks.h"

#include <unordered_set>
#include <utility>

#include "store/sqlite/StatementUse.h"

namespace okarchive {

DeletionMarks::DeletionMarks(SQLite::Database& db)
    : _mark(db, "UPDATE messages SET deleted_observed_at = ?2 WHERE id = ?1 AND deleted_observed_at IS NULL"),
      _clear(db, "UPDATE messages SET deleted_observed_at = NULL WHERE id = ?1"),
      _event(db, "INSERT INTO message_events (chat_id, mid, kind, observed_at) VALUES (?1, ?2, ?3, ?4)"),
      _presentIn(db,
                 "SELECT id, mid FROM messages WHERE chat_id = ?1 AND timestamp BETWEEN ?2 AND ?3 "
                 "AND deleted_observed_at IS NULL") {}

void DeletionMarks::event(const std::string& chatId, const std::string& mid, const char* kind, std::int64_t nowMs) {
    StatementUse insert(_event);
    insert->bind(1, chatId);
    insert->bind(2, mid);
    insert->bind(3, kind);
    insert->bind(4, nowMs);
    insert->exec();
}

bool DeletionMarks::mark(std::int64_t id, const std::string& chatId, const std::string& mid, std::int64_t nowMs) {
    {
        StatementUse update(_mark);
        update->bind(1, id);
        update->bind(2, nowMs);
        if (update->exec() != 1) return false;
    }
    event(chatId, mid, "deleted", nowMs);
    return true;
}

void DeletionMarks::clear(std::int64_t id, const std::string& chatId, const std::string& mid, std::int64_t nowMs) {
    {
        StatementUse update(_clear);
        update->bind(1, id);
        update->exec();
    }
    event(chatId, mid, "restored", nowMs);
}

int DeletionMarks::markAbsent(const std::string& chatId, const std::vector<Message>& page,
                              const std::vector<TimeRange>& repaged, std::int64_t nowMs) {
    // Every mid the page holds is present, an undecodable copy's too (it is there, just not decodable).
    std::unordered_set<std::string> present;
    for (const auto& m : page)
        if (!m.mid.empty()) present.insert(m.mid);
    std::vector<std::pair<std::int64_t, std::string>> gone;
    for (const auto& range : repaged) {
        if (range.empty()) continue;
        StatementUse query(_presentIn);
        query->bind(1, chatId);
        query->bind(2, range.lo);
        query->bind(3, range.hi);
        while (query->executeStep()) {
            std::string mid = query->getColumn(1).getString();
            if (!present.count(mid)) gone.emplace_back(query->getColumn(0).getInt64(), std::move(mid));
        }
    }
    int marked = 0;
    for (const auto& [id, mid] : gone)
        if (mark(id, chatId, mid, nowMs)) ++marked;
    return marked;
}

}  // namespace okarchive
