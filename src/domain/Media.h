#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace okarchive {

/// Where one attachment's media stands in the media ledger. Missing media is always one of these, never silence.
enum class MediaState {
    Pending,          ///< known, not fetched yet (or a fresh link arrived after a failure)
    Saved,            ///< its bytes are in the media store under their SHA-256
    SkippedPolicy,    ///< left out on purpose: media.types, media.max_bytes
    Expired,          ///< the platform no longer serves it, even after refreshing the link through the API
    FailedTransient,  ///< failed in a way that may pass (5xx, reset, timeout, short body); retried later
    FailedPermanent,  ///< failed for good (a forbidden address, content that is not what the message says...)
};

/// "pending", "saved", "skipped_policy", "expired", "failed_transient", "failed_permanent": the names used in the
/// archive, `status`, `media status`, /metrics (okarchive_media_files{state}) and exports.
std::string_view mediaStateName(MediaState state);
std::optional<MediaState> parseMediaState(std::string_view name);
inline constexpr MediaState kAllMediaStates[] = {MediaState::Pending,         MediaState::Saved,
                                                 MediaState::SkippedPolicy,   MediaState::Expired,
                                                 MediaState::FailedTransient, MediaState::FailedPermanent};

/// What the ledger knows of one attachment's media, as readers (exports, reports) see it.
struct AttachmentMedia {
    MediaState state = MediaState::Pending;
    std::string sha256;                 ///< 64 lowercase hex when Saved, else empty
    std::optional<std::int64_t> bytes;  ///< when Saved (or known from a skip by size)
    std::string mime;                   ///< sniffed type when Saved ("image/png"...), else empty
    std::string reason;                 ///< the last error or skip reason when not Saved (never holds a token)
    bool operator==(const AttachmentMedia&) const = default;
};

/// The media store's path of a saved file, relative to media.directory: "sha256/ab/cd/<64 hex>".
std::string mediaStorePath(std::string_view sha256Hex);

}  // namespace okarchive
