#pragma once

#include "Message.h"

namespace okarchive {

/// Reads archived messages in ascending (timestamp, seq) order. Not thread-safe.
class MessageCursor {
public:
    virtual ~MessageCursor() = default;
    virtual bool next() = 0;                     ///< false at the end; throws StorageError
    virtual const Message& current() const = 0;  ///< valid after next() returned true
};

}  // namespace okarchive
