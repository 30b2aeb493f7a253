#pragma once

// The store contract (restic's backend suite is the model): tests written only against store/Archive.h that every
// backend must pass. The backend is chosen by freshBackend(), so a second backend runs the same tests unchanged.

#include <memory>
#include <string>
#include <vector>

#include "domain/Env.h"
#include "store/Archive.h"

namespace okarchive::contract {

/// One fresh, empty archive of the backend under test, removed when the Backend is destroyed.
class Backend {
public:
    virtual ~Backend() = default;
    /// Another handle on the same archive (its own connection, as another thread or process has); `env` stamps
    /// the *_at times written through it.
    virtual std::unique_ptr<Archive> open(Env& env = Env::system()) = 0;
    /// A read-only handle (ArchiveMode::ReadOnly, as status and export open it) on the archive, which must exist.
    virtual std::unique_ptr<Archive> openReadOnly() = 0;
};

/// The backend of this run: OKARCHIVE_CONTRACT_BACKEND names it ("sqlite", the default and today the only one).
std::unique_ptr<Backend> freshBackend();

/// Every message `query` selects, in cursor order.
std::vector<Message> readAll(MessageReader& reader, const MessageQuery& query);
/// Their mids.
std::vector<std::string> mids(const std::vector<Message>& messages);

}  // namespace okarchive::contract
