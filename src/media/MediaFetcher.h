#pragma once

#include <memory>
#include <string>

#include "domain/Env.h"
#include "media/AddressGuard.h"
#include "media/MediaConfig.h"
#include "store/MediaLedger.h"

namespace okarchive {

class MediaStore;

/// What one download came to: the outcome to record, and whether the failure looks like a dead link (403, 404, 410,
/// a signature error) that a fresh link from the API may cure.
struct FetchedMedia {
    MediaOutcome outcome;
    bool linkRefused = false;
};

/// Downloads media links into the media store. Never sends the access token (it has none: it is not the Graph API
/// client); only http/https; refuses, before connecting, hosts whose addresses are loopback, private, link-local,
/// multicast or reserved (MediaConfig::allowPrivateAddresses lifts loopback and private only), and re-checks every
/// redirect (at most 5). Streams to a temporary file while hashing, caps the size while streaming (skipped_policy),
/// checks Content-Length and that the content sniffs as the attachment's kind, fsyncs and renames it into place.
/// Rate-limited by MediaConfig::requestsPerSecond. Thread-safe: one per process, shared by the media workers.
class MediaFetcher {
public:
    MediaFetcher(const MediaConfig& config, MediaStore& store, Env& env);
    /// The same with another name resolver (tests map made-up names to loopback addresses).
    MediaFetcher(const MediaConfig& config, MediaStore& store, Env& env, HostResolver resolver);
    ~MediaFetcher();
    MediaFetcher(const MediaFetcher&) = delete;
    MediaFetcher& operator=(const MediaFetcher&) = delete;

    /// Downloads `url` for an attachment of `type`. Every failure of the server or the network is an outcome, never
    /// an exception; throws Cancelled (domain/Errors.h) when `cancel` fires, leaving no file under a final name, and
    /// StorageError when the media directory cannot be written (disk full: every download would fail alike).
    /// Waits for the rate limit on `env`; the deadlines (MediaConfig::timeout, stallTimeout) run on the system clock.
    FetchedMedia fetch(const std::string& url, const std::string& type, const Cancellation& cancel);

private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

}  // namespace okarchive
