#pragma once

#include "TimeRange.h"

#include <vector>

namespace okarchive {

/// The time ranges of one chat proven complete in the archive: disjoint, sorted ascending, adjacent ranges merged.
class CoverageSet {
public:
    CoverageSet() = default;
    explicit CoverageSet(const std::vector<TimeRange>& ranges);

    void add(TimeRange range);          ///< merges overlapping and adjacent ranges; ignores empty ones
    bool covers(std::int64_t t) const;  ///< true if t lies in a covered range
    std::vector<TimeRange> gaps(TimeRange within) const;  ///< uncovered parts of `within`, newest first
    const std::vector<TimeRange>& ranges() const { return _ranges; }
    bool empty() const { return _ranges.empty(); }

private:
    std::vector<TimeRange> _ranges;
};

}  // namespace okarchive
