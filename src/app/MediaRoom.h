#pragma once

#include <memory>

#include "domain/Env.h"
#include "media/MediaConfig.h"
#include "sync/ChatMedia.h"

namespace okarchive {

class MediaFetcher;
class MediaStore;

/// A process's media room, as `sync`, `serve` and `demo` use it: the store under media.directory (created if missing,
/// the temporary files of interrupted runs swept) and the one fetcher every download shares. With media.download =
/// none it makes nothing and access() is empty (no downloads, the ledger only lists what waits).
class MediaRoom {
public:
    MediaRoom(const MediaConfig& config, Env& env);  ///< throws StorageError naming the directory
    ~MediaRoom();
    MediaRoom(const MediaRoom&) = delete;
    MediaRoom& operator=(const MediaRoom&) = delete;

    MediaAccess access();
    int swept() const { return _swept; }  ///< temporary files removed at start

private:
    std::unique_ptr<MediaStore> _store;
    std::unique_ptr<MediaFetcher> _fetcher;
    int _swept = 0;
};

}  // namespace okarchive
