#include "app/MediaRoom.h"

#include "media/MediaFetcher.h"
#include "media/MediaStore.h"

namespace okarchive {

MediaRoom::MediaRoom(const MediaConfig& config, Env& env) {
    if (!config.download) return;
    _store = std::make_unique<MediaStore>(config.directory);
    _swept = _store->sweepTemporaries();
    _fetcher = std::make_unique<MediaFetcher>(config, *_store, env);
}

MediaRoom::~MediaRoom() = default;

MediaAccess MediaRoom::access() {
    if (!_fetcher) return {};
    return {[fetcher = _fetcher.get()](const std::string& url, const std::string& type, const Cancellation& cancel) {
                return fetcher->fetch(url, type, cancel);
            },
            [store = _store.get()](const std::string& sha256Hex, std::int64_t bytes) {
                return store->holds(sha256Hex, bytes);
            }};
}

}  // namespace okarchive
