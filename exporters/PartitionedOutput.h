#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "exporters/AtomicOutputFile.h"
#include "exporters/PartIndex.h"
#include "exporters/PartNaming.h"

namespace okarchive {

/// The files of one export, all or nothing. Unpartitioned: one AtomicOutputFile at PATH. Partitioned: the parts are
/// written into a new hidden generation directory beside PATH (flock'ed while this lives, so no sweeper takes it),
/// which nothing references until commit() writes the index or manifest at PATH by an atomic rename: that rename is
/// the one commit point, so readers see the complete old set or the complete new one. Then the generations no index
/// references (the previous one, any a killed export left) are removed. Destroyed without a successful commit(), it
/// removes its temporary file or its whole generation directory. Not thread-safe.
class PartitionedOutput {
public:
    /// `index` and the chat fields describe the index of a partitioned set. Throws Error naming the path.
    PartitionedOutput(PartNaming naming, const OutputOptions& options, PartIndexFormat index, PartIndex about);
    ~PartitionedOutput();
    PartitionedOutput(const PartitionedOutput&) = delete;
    PartitionedOutput& operator=(const PartitionedOutput&) = delete;

    /// Finishes the current part (if any) and opens the next one; throws Error naming the path.
    std::ostream& openPart();
    void noteMessage(std::int64_t timestampMs);              ///< one more message in the open part (for the index)
    std::size_t partCount() const { return _parts.size(); }  ///< parts opened so far
    std::uint64_t currentPartBytes() const;                  ///< bytes written to the open part
    const PartNaming& naming() const { return _naming; }

    void commit();                           ///< publishes the set; throws Error naming the path that failed
    std::vector<std::string> paths() const;  ///< the path of every part, in order

private:
    void createGeneration();
    void keepGenerationPrivate();
    void closeCurrentPart();

    PartNaming _naming;
    OutputOptions _options;
    PartIndexFormat _indexFormat;
    PartIndex _index;
    std::unique_ptr<AtomicOutputFile> _current;
    std::vector<std::string> _parts;
    std::uint64_t _closedBytes = 0;
    int _generationFd = -1;
    bool _committed = false;
};

}  // namespace okarchive
