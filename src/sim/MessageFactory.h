#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/ChatData.h"
#include "sim/Rng.h"
#include "sim/SimMessage.h"
#include "sim/UserDirectory.h"

namespace okarchive::sim {

/// Derives a message's full content from its chat and index, deterministically (same seed, same message).
/// Stateless apart from the user directory; safe to call from many threads.
class MessageFactory {
public:
    /// localMedia: media links are placeholders for this server's links (see MediaCatalog), FILE sizes the served
    /// sizes under mediaMaxSize; else CDN-looking https links (nothing served).
    MessageFactory(const UserDirectory& users, bool localMedia, std::int64_t mediaMaxSize)
        : _users(users), _localMedia(localMedia), _mediaMaxSize(mediaMaxSize) {}

    /// The message at `index` of `chat` (content generated, or the stored POSTed content).
    SimMessage build(const ChatData& chat, std::size_t index) const;

private:
    /// The text of a generated (not ordinary) message; false if the message became a service event instead.
    bool generateText(SimMessage& message, Rng& rng, const ChatData& chat, std::size_t index,
                      const SimUser& user) const;
    /// Maybe a single attachment and/or an attachments array; maybe drops the text (unless `keepText`).
    void addAttachments(SimMessage& message, Rng& rng, bool keepText) const;
    SimAttachment makeAttachment(Rng& rng, EscapeStyle style) const;
    void makeService(SimMessage& message, Rng& rng, const SimUser& user) const;

    const UserDirectory& _users;
    const bool _localMedia;
    const std::int64_t _mediaMaxSize;
};

}  // namespace okarchive::sim
