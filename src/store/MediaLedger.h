#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Media.h"

namespace okarchive {

/// One attachment's entry in the media ledger: (chat, mid, position) names it.
struct MediaItem {
    std::string chatId;
    std::string mid;
    int position = 0;            ///< the attachment's position in its message
    std::string type;            ///< the attachment type (IMAGE, ..., or an unknown one)
    std::string identity;        ///< MediaSource::identity: one download per identity
    std::string url;             ///< the newest link the API gave for it
    std::int64_t timestamp = 0;  ///< the message's timestamp (to re-fetch the page around it for a fresh link)
    AttachmentMedia media;       ///< state, and sha256/bytes/mime when saved, reason when not
    std::optional<int> httpStatus;
    int attempts = 0;   ///< downloads tried
    int refreshes = 0;  ///< links refreshed through the API
    std::optional<std::int64_t> firstTryAtMs;
    std::optional<std::int64_t> lastTryAtMs;
};

/// What one download attempt came to. `atMs` is our wall clock.
struct MediaOutcome {
    MediaState state = MediaState::FailedTransient;
    std::optional<int> httpStatus;
    std::optional<std::int64_t> bytes;
    std::string sha256;  ///< when Saved
    std::string mime;    ///< when Saved
    std::string error;   ///< when not Saved: why, for people (never the token)
    std::int64_t atMs = 0;
    /// When set, the outcome is recorded only while the entry still holds this identity (MediaItem::identity): an
    /// edit committed meanwhile may have given the position other media, which must not inherit this outcome.
    std::string identity;
};

/// Files and bytes of one (chat, type, state).
struct MediaCount {
    std::string chatId;
    std::string type;
    MediaState state = MediaState::Pending;
    std::int64_t files = 0;
    std::int64_t bytes = 0;  ///< of the files whose size is known
};

/// Media a real edit replaced or took away at a position, kept (with its saved file's sha256) for good.
struct MediaRevision {
    int position = 0;
    std::string type;
    std::string identity;
    std::string url;
    AttachmentMedia media;
    std::int64_t replacedAtMs = 0;  ///< our wall clock when the edit was archived
};

/// The media ledger: per attachment with media (mediaSource), where its download stands. commitPage adds a pending
/// entry for every new attachment with media in the same transaction as its message, and refreshes the link of an
/// existing one (a fresh link of a not-saved entry makes it pending again).
class MediaLedger {
public:
    virtual ~MediaLedger() = default;

    /// Adds pending entries for the chat's archived attachments with media that have none (archives from before the
    /// ledger); returns how many.
    virtual std::int64_t seedMedia(const std::string& chatId) = 0;
    /// Up to `limit` entries of the chat to download now: pending ones, and failed_transient ones tried fewer than
    /// `maxAttempts` times; newest message first.
    virtual std::vector<MediaItem> mediaToFetch(const std::string& chatId, std::size_t limit, int maxAttempts) = 0;
    /// The saved content of `identity` (in any chat), if some entry or revision holds it: no second download.
    virtual std::optional<AttachmentMedia> savedMedia(const std::string& identity) = 0;
    /// Records an attempt: its state and details, attempts + 1, first and last try times. A saved entry stays saved
    /// (a second, failed download of the same entry does not undo the first). Nothing when the entry is gone or
    /// holds another identity than outcome.identity (when set). Saved needs a 64-hex sha256 and bytes.
    virtual void recordMediaOutcome(const std::string& chatId, const std::string& mid, int position,
                                    const MediaOutcome& outcome) = 0;
    /// Counts one refresh of the entry's link through the API (the link itself arrives through commitPage).
    virtual void recordMediaRefresh(const std::string& chatId, const std::string& mid, int position) = 0;
    /// Counts by chat, type and state (ordered by them, state by name); one chat or, without one, every chat.
    virtual std::vector<MediaCount> mediaCounts(const std::optional<std::string>& chatId) = 0;
    /// Entries of one chat (or all), in one state (or all), by chat, message timestamp, mid and position.
    virtual std::vector<MediaItem> mediaItems(const std::optional<std::string>& chatId,
                                              std::optional<MediaState> state) = 0;
    /// The media earlier versions of a message had at positions a real edit changed, oldest first.
    virtual std::vector<MediaRevision> mediaRevisions(const std::string& chatId, const std::string& mid) = 0;
};

}  // namespace okarchive
