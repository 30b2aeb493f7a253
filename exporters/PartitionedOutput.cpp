#include "exporters/PartitionedOutput.h"

#include <filesystem>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {

PartitionedOutput::PartitionedOutput(PartNaming naming) : _naming(std::move(naming)) {
    if (_naming.partitioned() && _naming.basePath() == "-")
        throw UsageError("standard output (-) holds one file: --partition needs a file path as --output");
}

PartitionedOutput::~PartitionedOutput() {
    if (_committed) return;
    for (auto& part : _parts) part->discard();
}

std::ostream& PartitionedOutput::openPart() {
    if (!_naming.partitioned() && !_parts.empty())
        throw Error(fmt::format("internal error: a second part was requested for the unpartitioned output {}",
                                _naming.basePath()));
    if (!_parts.empty()) _parts.back()->finish();  // closes its descriptor: one open file at a time
    _parts.push_back(std::make_unique<AtomicOutputFile>(_naming.path(_parts.size() + 1)));
    return _parts.back()->stream();
}

std::uint64_t PartitionedOutput::currentPartBytes() const { return _parts.empty() ? 0 : _parts.back()->bytesWritten(); }

void PartitionedOutput::commit() {
    for (auto& part : _parts) part->finish();
    try {
        for (auto& part : _parts) part->commit(false);
    } catch (...) {
        for (auto& part : _parts) part->discard();  // also removes the parts already renamed: no partial set remains
        throw;
    }
    _committed = true;
    if (!_parts.empty() && !_parts.front()->isStdout()) {
        auto dir = std::filesystem::path(_parts.front()->path()).parent_path();
        syncDirectory(dir.empty() ? "." : dir.string());
    }
}

std::vector<std::string> PartitionedOutput::paths() const {
    std::vector<std::string> out;
    for (const auto& part : _parts) out.push_back(part->path());
    return out;
}

}  // namespace okarchive
