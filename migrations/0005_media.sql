-- okarchive schema, version 5: the media ledger (issue 12). The files themselves live in media.directory under
-- sha256/ab/cd/<64 hex> (src/media/MediaStore); the archive records per attachment where its download stands, so
-- missing media is always a number, never a silent fallback to a remote link.

-- One row per attachment of the CURRENT version of a message whose payload carries media (domain/MediaLink.h
-- mediaSource). commitPage adds it, pending, in the same transaction as the message. A re-fetch that changes only
-- volatile link parameters (expires, sig, srcIp...) is no edit: the row keeps its state and takes the fresh url; a
-- row that was not saved (and not skipped by policy) whose url changed becomes pending again, attempts kept.
-- A real edit that changes the media at a position (another identity) moves the row to media_revisions first and
-- starts the position over as pending; a position that no longer has media is moved there too.
CREATE TABLE media (
    chat_id      TEXT NOT NULL,
    mid          TEXT NOT NULL,
    position     INTEGER NOT NULL CHECK (position >= 0),          -- the attachment's position in its message
    type         TEXT NOT NULL,                                    -- the attachment type, verbatim
    identity     TEXT NOT NULL,                                    -- MediaSource::identity: one download per identity
    url          TEXT NOT NULL,                                    -- the newest link the API gave (may be signed)
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'saved', 'skipped_policy', 'expired',
                                                                  'failed_transient', 'failed_permanent')),
    http_status  INTEGER,                                          -- of the last attempt, when it got one
    bytes        INTEGER CHECK (bytes >= 0),                       -- saved size, or the announced size of a skip
    mime         TEXT,                                             -- sniffed type of the saved content
    sha256       TEXT,                                             -- 64 lowercase hex when saved
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),  -- downloads tried
    refreshes    INTEGER NOT NULL DEFAULT 0 CHECK (refreshes >= 0),  -- links refreshed through the API
    last_error   TEXT,                                             -- why the last attempt did not save; never the token
    first_try_at INTEGER,                                          -- wall-clock ms of the first and the last attempt
    last_try_at  INTEGER,
    PRIMARY KEY (chat_id, mid, position),
    FOREIGN KEY (chat_id, mid) REFERENCES messages (chat_id, mid)
) WITHOUT ROWID;
-- What to download next (mediaToFetch: a chat's pending and failed_transient rows) and counts per chat and state.
CREATE INDEX media_by_chat_state ON media (chat_id, state);
-- savedMedia(identity): content already saved under another message or chat is never downloaded twice.
CREATE INDEX media_saved_by_identity ON media (identity) WHERE state = 'saved';

-- Earlier media of a position, kept when a real edit replaced it (or took it away). Never overwritten, never deleted:
-- a file saved for an earlier version stays findable (savedMedia, mediaRevisions) and stays in the media store.
CREATE TABLE media_revisions (
    id          INTEGER PRIMARY KEY,
    chat_id     TEXT NOT NULL,
    mid         TEXT NOT NULL,
    position    INTEGER NOT NULL,
    type        TEXT NOT NULL,
    identity    TEXT NOT NULL,
    url         TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'saved', 'skipped_policy', 'expired', 'failed_transient',
                                               'failed_permanent')),
    bytes       INTEGER,
    mime        TEXT,
    sha256      TEXT,
    last_error  TEXT,
    replaced_at INTEGER NOT NULL,                                   -- wall-clock ms of the edit that replaced it
    FOREIGN KEY (chat_id, mid) REFERENCES messages (chat_id, mid)
);
CREATE INDEX media_revisions_by_message ON media_revisions (chat_id, mid, id);
CREATE INDEX media_revisions_saved_by_identity ON media_revisions (identity) WHERE state = 'saved';

-- 0 for the chats archived before version 5, whose attachments have no entries yet: seedMedia(chat) adds them (the
-- C++ mediaSource decides which payloads carry media) and sets 1. Chats created later start at 1: commitPage adds
-- their entries as it archives their messages.
ALTER TABLE chats ADD COLUMN media_seeded INTEGER NOT NULL DEFAULT 1 CHECK (media_seeded IN (0, 1));
UPDATE chats SET media_seeded = 0;
