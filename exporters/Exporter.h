#pragma once

#include <cstdint>
#include <ostream>

#include "domain/Message.h"
#include "domain/MessageCursor.h"

namespace okarchive {

/// One export format: begin -> write(message)... -> end, streaming to an output stream it was given.
/// Exporters never see the database or the network: only messages.
class Exporter {
public:
    virtual ~Exporter() = default;
    virtual void begin() {}
    virtual void write(const Message& message) = 0;
    virtual void end() {}
    /// Bytes written by write() but still held in the exporter's own buffer (for size-limited parts).
    virtual std::uint64_t pendingBytes() const { return 0; }
};

/// Feeds every message of `cursor` through `exporter` (begin, writes, end); returns the count.
std::uint64_t exportMessages(MessageCursor& cursor, Exporter& exporter);

}  // namespace okarchive
