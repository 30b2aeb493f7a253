#pragma once

#include <cstdint>
#include <string>

namespace okarchive {

/// How an export is split into files: not at all, every N messages, or about every N bytes.
struct PartitionPolicy {
    enum class Unit { None, Messages, Bytes };
    Unit unit = Unit::None;
    std::uint64_t limit = 0;  ///< messages or bytes per part (> 0 unless None)

    /// Parses "5000" (messages per part) or a size "20mb", "512kb", "1gb", "4096b" (binary units, case-insensitive;
    /// "none", "" or a zero such as "0" = no partitioning). Throws UsageError naming the text.
    static PartitionPolicy parse(const std::string& text);
    static PartitionPolicy none() { return {}; }
    static PartitionPolicy messages(std::uint64_t n) { return {Unit::Messages, n}; }
    static PartitionPolicy bytes(std::uint64_t n) { return {Unit::Bytes, n}; }

    bool enabled() const { return unit != Unit::None; }
    bool operator==(const PartitionPolicy&) const = default;
};

}  // namespace okarchive
