#pragma once

#include <string>
#include <utility>

#include <SQLiteCpp/Exception.h>

#include "store/StoreErrors.h"

namespace okarchive {

/// Runs `body`, turning SQLite failures into a StorageError that names the archive file and `action`.
template <class Body>
decltype(auto) guarded(const std::string& path, const std::string& action, Body&& body) {
    try {
        return std::forward<Body>(body)();
    } catch (const SQLite::Exception& e) {
        throw storageError(path, action, e);
    }
}

}  // namespace okarchive
