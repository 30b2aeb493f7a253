-- okarchive schema, version 3: post-back summaries (digests) and the tagging of the bot's own digest messages.

-- One row per digest okarchive set out to post. Exactly once per (chat, period): the row is written with
-- state 'intent' BEFORE the POST and moved to 'posted' after it. A row left in 'intent' (a crash or an ambiguous
-- failure between the two) is resolved by looking for its exact text in the chat's archived history after a sync
-- that started later than the attempt: found = 'posted', absent = safe to post again. Never re-posted blindly.
CREATE TABLE summary_posts (
    id            INTEGER PRIMARY KEY,
    chat_id       TEXT NOT NULL REFERENCES chats (chat_id),
    period_start  INTEGER NOT NULL,                               -- ms since epoch, inclusive
    period_end    INTEGER NOT NULL,                               -- ms since epoch, exclusive
    period_label  TEXT NOT NULL,                                  -- as written in the digest
    text          TEXT NOT NULL,                                  -- the digest exactly as posted
    state         TEXT NOT NULL CHECK (state IN ('intent', 'posted')),
    forced        INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),  -- okarchive summary --force: outside the once
    attempts      INTEGER NOT NULL DEFAULT 0,
    attempted_at  INTEGER NOT NULL,                               -- wall-clock ms of the latest POST attempt
    posted_at     INTEGER,                                        -- when the outcome was known
    message_id    INTEGER REFERENCES messages (id),               -- the archived message, once found
    last_error    TEXT                                            -- why the latest attempt failed; never the token
);
CREATE UNIQUE INDEX summary_posts_once ON summary_posts (chat_id, period_start, period_end) WHERE forced = 0;

-- Messages that are the bot's own digests (exports and statistics can leave them out).
CREATE TABLE digest_messages (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id),
    summary_id INTEGER NOT NULL REFERENCES summary_posts (id)
);
