#include "CoverageSet.h"

#include <algorithm>

namespace okarchive {

CoverageSet::CoverageSet(const std::vector<TimeRange>& ranges) {
    for (const auto& r : ranges) add(r);
}

void CoverageSet::add(TimeRange range) {
    if (range.empty()) return;
    std::vector<TimeRange> merged;
    merged.reserve(_ranges.size() + 1);
    for (const auto& r : _ranges) {
        // Disjoint and not adjacent: keep as it is. (hi + 1 cannot overflow: kMax never needs merging past itself.)
        bool before = r.hi < range.lo && (r.hi == TimeRange::kMax || r.hi + 1 < range.lo);
        bool after = range.hi < r.lo && (range.hi == TimeRange::kMax || range.hi + 1 < r.lo);
        if (before || after) {
            merged.push_back(r);
        } else {
            range.lo = std::min(range.lo, r.lo);
            range.hi = std::max(range.hi, r.hi);
        }
    }
    merged.push_back(range);
    std::sort(merged.begin(), merged.end(), [](const TimeRange& a, const TimeRange& b) { return a.lo < b.lo; });
    _ranges = std::move(merged);
}

bool CoverageSet::covers(std::int64_t t) const {
    return std::any_of(_ranges.begin(), _ranges.end(), [t](const TimeRange& r) { return r.contains(t); });
}

std::vector<TimeRange> CoverageSet::gaps(TimeRange within) const {
    std::vector<TimeRange> result;
    if (within.empty()) return result;
    std::int64_t top = within.hi;  // everything above `top` has been accounted for
    for (auto it = _ranges.rbegin(); it != _ranges.rend() && top >= within.lo; ++it) {
        if (it->lo > top) continue;
        if (it->hi < top) result.push_back({std::max(it->hi + 1, within.lo), top});
        if (it->lo <= within.lo) return result;
        top = it->lo - 1;
    }
    if (top >= within.lo) result.push_back({within.lo, top});
    return result;
}

}  // namespace okarchive
