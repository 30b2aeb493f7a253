-- okarchive schema, version 4: digests judged by the server's clock, undecodable messages kept apart, and chats
-- that were never archived told apart from archived ones.

-- Where to look for an interrupted digest in the chat's history: the newest archived message timestamp (server
-- clock) when the attempt was recorded. NULL for attempts recorded before version 4 (looked for from attempted_at
-- minus a slack, as before).
ALTER TABLE summary_posts ADD COLUMN search_from INTEGER;

-- 1 once the chat was archived successfully (a page committed or a sync that succeeded). A chat only ever named by a
-- failed sync (a mistyped --chat) stays 0: it is no archived chat, and `--chat=all` leaves it out.
ALTER TABLE chats ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
UPDATE chats SET archived = 1
 WHERE EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = chats.chat_id)
    OR EXISTS (SELECT 1 FROM coverage c WHERE c.chat_id = chats.chat_id)
    OR EXISTS (SELECT 1 FROM sync_runs r WHERE r.chat_id = chats.chat_id AND r.result = 'ok');

-- Messages the API sent in a shape that cannot be archived as a message (a seq beyond 64 bits, a float timestamp, an
-- empty mid, null...): kept verbatim, never lost, shown as warnings by `status`. Their timestamp, when usable, took
-- part in proving coverage; without one they proved nothing.
CREATE TABLE quarantined_messages (
    id            INTEGER PRIMARY KEY,
    chat_id       TEXT NOT NULL REFERENCES chats (chat_id),
    timestamp     INTEGER,                                        -- NULL: no usable timestamp
    reason        TEXT NOT NULL,                                  -- why it could not be decoded
    raw_json      TEXT NOT NULL,                                  -- the object, verbatim
    first_seen_at INTEGER NOT NULL,
    UNIQUE (chat_id, raw_json)
);
