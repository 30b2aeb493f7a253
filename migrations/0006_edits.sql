-- okarchive schema, version 6: edits and deletions observed by re-checking recent history (issue 13). Nothing is
-- ever removed: a deletion is a mark with the time it was observed, an edit keeps the replaced version.

-- The wall-clock ms of the last observed change (the newest message_revisions.replaced_at); NULL: never changed.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
-- The wall-clock ms its absence from a completely re-paged range (or the API's own deleted flag) was observed;
-- NULL: present. Cleared when the message comes back (a 'restored' event).
ALTER TABLE messages ADD COLUMN deleted_observed_at INTEGER;
UPDATE messages SET edited_at = (SELECT max(replaced_at) FROM message_revisions r WHERE r.message_id = messages.id)
 WHERE id IN (SELECT message_id FROM message_revisions);
-- Only the few changed or deleted messages are in these, so --edited, --deleted and the counts read little. Ordered
-- like messages_by_time (ending with the rowid): a cursor reads them in its order without sorting; with (chat_id,
-- timestamp) only, SQLite walked messages_by_time instead, every message of the chat.
CREATE INDEX messages_edited ON messages (chat_id, timestamp, seq) WHERE edited_at IS NOT NULL;
CREATE INDEX messages_deleted ON messages (chat_id, timestamp, seq) WHERE deleted_observed_at IS NOT NULL;

-- The attachments of each kept revision, as the attachments rows of that version were (revisions kept before
-- version 6 have none here; their raw_json still holds them).
CREATE TABLE revision_attachments (
    revision_id  INTEGER NOT NULL REFERENCES message_revisions (id),
    position     INTEGER NOT NULL,
    type         TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;

-- Every deletion mark set or cleared, in order: the history behind messages.deleted_observed_at.
CREATE TABLE message_events (
    id          INTEGER PRIMARY KEY,
    chat_id     TEXT NOT NULL,
    mid         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('deleted', 'restored')),
    observed_at INTEGER NOT NULL,
    FOREIGN KEY (chat_id, mid) REFERENCES messages (chat_id, mid)
);
CREATE INDEX message_events_by_message ON message_events (chat_id, mid, id);

-- The chat's re-check pass (sync.recheck): the open one (window, what is still to re-page, when it started) and the
-- last one completed. All NULL: never re-checked.
ALTER TABLE chats ADD COLUMN recheck_window_lo INTEGER;
ALTER TABLE chats ADD COLUMN recheck_window_hi INTEGER;
ALTER TABLE chats ADD COLUMN recheck_pending_lo INTEGER;
ALTER TABLE chats ADD COLUMN recheck_pending_hi INTEGER;
ALTER TABLE chats ADD COLUMN recheck_started_at INTEGER;
ALTER TABLE chats ADD COLUMN last_recheck_at INTEGER;
ALTER TABLE chats ADD COLUMN last_recheck_lo INTEGER;
ALTER TABLE chats ADD COLUMN last_recheck_hi INTEGER;
