#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "exporters/AtomicOutputFile.h"
#include "exporters/PartNaming.h"

namespace okarchive {

/// The files of one export, all or nothing. Each part is written to a temporary file beside its target and
/// finished (flushed, fsync'ed, closed) when the next part starts; commit() renames every part into place and
/// fsyncs the directory once. Destroyed without a successful commit(), it removes every temporary file (and any part
/// already renamed), so a failed export leaves nothing behind. Not thread-safe.
class PartitionedOutput {
public:
    explicit PartitionedOutput(PartNaming naming);
    ~PartitionedOutput();
    PartitionedOutput(const PartitionedOutput&) = delete;
    PartitionedOutput& operator=(const PartitionedOutput&) = delete;

    /// Finishes the current part (if any) and opens the next one; throws Error naming the path.
    std::ostream& openPart();
    std::size_t partCount() const { return _parts.size(); }  ///< parts opened so far
    std::uint64_t currentPartBytes() const;                  ///< bytes written to the open part
    const PartNaming& naming() const { return _naming; }

    void commit();                           ///< publishes every part; throws Error naming the path that failed
    std::vector<std::string> paths() const;  ///< the target path of every part, in order

private:
    PartNaming _naming;
    std::vector<std::unique_ptr<AtomicOutputFile>> _parts;
    bool _committed = false;
};

}  // namespace okarchive
