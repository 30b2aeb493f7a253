-- okarchive schema, version 1.
-- Times: *_at columns are wall-clock ms since epoch when okarchive wrote the row; `timestamp`, `lo`, `hi` and
-- *_ts are message timestamps (ms since epoch, as the API sent them).
-- Text columns hold the exact bytes received (they may contain NUL or invalid UTF-8): never rely on SQL string
-- functions over message text or raw JSON.

-- One row per chat okarchive has seen. Metadata columns stay NULL until GET /me/chat or /me/chats described it.
CREATE TABLE chats (
    chat_id              TEXT PRIMARY KEY NOT NULL,                -- "chat:..."
    type                 TEXT,
    status               TEXT,
    title                TEXT,
    owner_id             TEXT,
    participants_count   INTEGER,
    raw_json             TEXT,                                     -- the chat object, verbatim
    from_bound_inclusive INTEGER CHECK (from_bound_inclusive IN (0, 1)),  -- NULL: not discovered yet
    first_seen_at        INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

-- Earlier metadata of a chat (titles, participants...), kept verbatim when it changes.
CREATE TABLE chat_revisions (
    id          INTEGER PRIMARY KEY,
    chat_id     TEXT NOT NULL REFERENCES chats (chat_id),
    raw_json    TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX chat_revisions_by_chat ON chat_revisions (chat_id, id);

-- Every archived message, current version. (chat_id, mid) is the identity: re-fetching never duplicates.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    chat_id           TEXT NOT NULL REFERENCES chats (chat_id),
    mid               TEXT NOT NULL CHECK (length(mid) > 0),       -- "mid:..."
    seq               INTEGER NOT NULL,                            -- exact 64-bit
    timestamp         INTEGER NOT NULL,
    sender_id         TEXT NOT NULL,                               -- "user:..." or '' when the API sent none
    sender_name       TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('message', 'service')),
    text              TEXT,                                        -- NULL: no text at all; '' is an empty text
    reply_to          TEXT,                                        -- mid of the replied message
    raw_json          TEXT NOT NULL,                               -- the message object, verbatim
    first_archived_at INTEGER NOT NULL,
    UNIQUE (chat_id, mid)
);
-- Reading order for cursors and exports; also serves count/min/max per chat.
CREATE INDEX messages_by_time ON messages (chat_id, timestamp, seq);

-- Attachments of the current version of each message, in received order. Unknown types are kept as they are.
CREATE TABLE attachments (
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    type         TEXT NOT NULL,
    payload_json TEXT NOT NULL,                                    -- verbatim ("null" if absent)
    url          TEXT,                                             -- the payload's top-level "url" when a string
    PRIMARY KEY (message_id, position)
);
CREATE INDEX attachments_by_type ON attachments (type);

-- Service messages ({"ui":...,"ty":"EXIT"}), decoded; the raw text stays in messages.text.
CREATE TABLE service_events (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,                                      -- `ty` verbatim, any value
    user_id    TEXT                                                -- "user:<ui>", NULL if absent
);
CREATE INDEX service_events_by_type_user ON service_events (type, user_id);

-- The names each user was seen with, and when (message timestamps).
CREATE TABLE senders (
    user_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    first_seen_ts INTEGER NOT NULL,
    last_seen_ts  INTEGER NOT NULL,
    PRIMARY KEY (user_id, name)
) WITHOUT ROWID;

-- Earlier versions of messages whose content changed on re-fetch. Never overwritten, never deleted.
CREATE TABLE message_revisions (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages (id),
    raw_json    TEXT NOT NULL,
    text        TEXT,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX message_revisions_by_message ON message_revisions (message_id, id);

-- Timestamp ranges [lo, hi] proven completely archived. Per chat: disjoint, adjacent ranges merged.
CREATE TABLE coverage (
    chat_id TEXT NOT NULL REFERENCES chats (chat_id),
    lo      INTEGER NOT NULL,
    hi      INTEGER NOT NULL CHECK (hi >= lo),
    PRIMARY KEY (chat_id, lo)
) WITHOUT ROWID;

-- Problems met while syncing (e.g. cluster_overflow: a millisecond with more messages than one page reaches).
CREATE TABLE sync_warnings (
    id          INTEGER PRIMARY KEY,
    chat_id     TEXT NOT NULL REFERENCES chats (chat_id),
    kind        TEXT NOT NULL,
    timestamp   INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (chat_id, kind, timestamp)
);

-- One row per finished sync of one chat.
CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY,
    chat_id        TEXT NOT NULL REFERENCES chats (chat_id),
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER NOT NULL,
    result         TEXT NOT NULL,                                  -- "ok" or "failed"
    messages_added INTEGER NOT NULL,
    requests       INTEGER NOT NULL,
    error          TEXT                                            -- NULL when ok; never holds the token
);
CREATE INDEX sync_runs_by_chat ON sync_runs (chat_id, finished_at);
