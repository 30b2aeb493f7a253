#include "domain/Duration.h"

#include <cctype>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {

std::chrono::milliseconds parseDuration(const std::string& text, const std::string& key) {
    auto bad = [&] {
        return UsageError(fmt::format("setting {} = '{}' must be a duration such as 30s, 15m, 1h or 1h30m", key, text));
    };
    std::int64_t total = 0;
    std::size_t i = 0;
    if (text.empty()) throw bad();
    while (i < text.size()) {
        std::int64_t value = 0;
        const auto start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            value = value * 10 + (text[i] - '0');
            if (value > 1'000'000'000) throw bad();
            ++i;
        }
        if (i == start) throw bad();
        std::string unit;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) unit += text[i++];
        std::int64_t factor = 0;
        if (unit == "ms")
            factor = 1;
        else if (unit == "s")
            factor = 1000;
        else if (unit == "m")
            factor = 60'000;
        else if (unit == "h")
            factor = 3'600'000;
        else if (unit == "d")
            factor = 86'400'000;
        else
            throw bad();
        total += value * factor;
    }
    if (total <= 0) throw bad();
    return std::chrono::milliseconds(total);
}

}  // namespace okarchive
