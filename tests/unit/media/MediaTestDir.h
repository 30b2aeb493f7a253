#pragma once

#include <string>

#include "support/TempDir.h"

namespace okarchive::test {

/// A fresh directory for one test, with a media store's place in it.
class MediaTestDir : public SharedTempDir {
public:
    MediaTestDir() : SharedTempDir("okarchive-media") {}
    std::string store() const { return file("media"); }
};

}  // namespace okarchive::test
