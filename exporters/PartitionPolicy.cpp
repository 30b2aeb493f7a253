#include "exporters/PartitionPolicy.h"

#include <cctype>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {

PartitionPolicy PartitionPolicy::parse(const std::string& text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.empty() || lower == "none") return none();
    auto bad = [&](const char* why) {
        return UsageError(
            fmt::format("invalid --partition value \"{}\": {} (give a message count such as 5000, or a "
                        "size such as 512kb, 20mb or 1gb)",
                        text, why));
    };
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(lower.data(), lower.data() + lower.size(), value);
    if (ptr == lower.data()) throw bad("it does not start with a number");
    if (ec == std::errc::result_out_of_range) throw bad("the number is too large");
    const std::string unit(ptr, static_cast<const char*>(lower.data() + lower.size()));
    std::uint64_t multiplier = 0;
    if (unit.empty())
        multiplier = 0;
    else if (unit == "b")
        multiplier = 1;
    else if (unit == "k" || unit == "kb" || unit == "kib")
        multiplier = 1ull << 10;
    else if (unit == "m" || unit == "mb" || unit == "mib")
        multiplier = 1ull << 20;
    else if (unit == "g" || unit == "gb" || unit == "gib")
        multiplier = 1ull << 30;
    else
        throw bad("unknown unit");
    if (value == 0) return none();  // no limit: one file, as "none"
    if (multiplier == 0) return messages(value);
    if (value > std::numeric_limits<std::uint64_t>::max() / multiplier) throw bad("the size is too large");
    return bytes(value * multiplier);
}

}  // namespace okarchive
