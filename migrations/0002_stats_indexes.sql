-- okarchive schema, version 2: indexes for reports and digests (src/stats).
-- Reports read only these indexes, never the wide message rows, so a report over a million messages stays fast.

-- Non-service messages of a chat in time order with their sender: per-day/hour counts, senders and conversations
-- are one ordered scan of this covering index.
CREATE INDEX messages_by_kind_time ON messages (chat_id, kind, timestamp, sender_id);

-- Replies only (a few percent of messages): the reply statistics read this partial index and look targets up by
-- (chat_id, mid).
CREATE INDEX messages_replies ON messages (chat_id, timestamp, reply_to) WHERE reply_to IS NOT NULL;

-- Attachment types per message without reading payloads.
CREATE INDEX attachments_by_message_type ON attachments (message_id, type);
