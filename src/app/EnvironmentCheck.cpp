#include "app/EnvironmentCheck.h"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include <fmt/format.h>

#include "app/ConfigLocation.h"
#include "app/Settings.h"
#include "domain/InertText.h"

extern char** environ;

namespace okarchive {
namespace {

constexpr std::string_view kPrefix = "OKARCHIVE_";

/// OKARCHIVE_* names that okarchive itself does not read but its build scripts, tests and benchmarks do: setting
/// them is no typo.
const std::vector<std::string>& toolingNames() {
    static const std::vector<std::string> names = {"OKARCHIVE_ASAN_BUILD_DIR",
                                                   "OKARCHIVE_ASAN_OPT",
                                                   "OKARCHIVE_BENCH_AUTOCHECKPOINT",
                                                   "OKARCHIVE_BENCH_DIR",
                                                   "OKARCHIVE_BENCH_MESSAGES",
                                                   "OKARCHIVE_BENCH_SYNCHRONOUS",
                                                   "OKARCHIVE_BENCH_TABLES",
                                                   "OKARCHIVE_BIN",
                                                   "OKARCHIVE_BINARY",
                                                   "OKARCHIVE_BUILD_DIR",
                                                   "OKARCHIVE_CONTRACT_BACKEND",
                                                   "OKARCHIVE_DEMO_DIR",
                                                   "OKARCHIVE_TEST_CLOCK_SHIFT_MS",
                                                   "OKARCHIVE_UPDATE_GOLDEN"};
    return names;
}

/// Levenshtein distance: insertions, deletions and substitutions turning `a` into `b`.
std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// The known name closest to `name`, or "" when none is close enough to be what was meant (at most a third of
/// the part after OKARCHIVE_ differs, and at least 3 edits are allowed).
std::string closestKnownName(const std::string& name) {
    std::string best;
    std::size_t bestDistance = std::max<std::size_t>(3, (name.size() - kPrefix.size()) / 3) + 1;
    for (const auto& known : knownEnvironmentNames())
        if (const auto d = editDistance(name, known); d < bestDistance) {
            best = known;
            bestDistance = d;
        }
    return best;
}

}  // namespace

std::vector<std::string> knownEnvironmentNames() {
    std::vector<std::string> names = {kConfigEnvironmentVariable, "OKARCHIVE_ACCESS_TOKEN"};
    for (const auto& s : knownSettings()) names.push_back(environmentNameFor(s.key));
    return names;
}

std::vector<std::string> unknownEnvironmentWarnings(const std::vector<std::string>& names) {
    const auto known = knownEnvironmentNames();
    const auto listed = [](const std::vector<std::string>& list, const std::string& name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    std::vector<std::string> warnings;
    for (const auto& name : names) {
        if (name.rfind(kPrefix, 0) != 0 || listed(known, name) || listed(toolingNames(), name)) continue;
        const auto meant = closestKnownName(name);
        const auto shown = inertText(name, 100);  // a name, too, may hold escape sequences
        warnings.push_back(meant.empty()
                               ? fmt::format("unknown environment variable {} (a setting's is OKARCHIVE_ "
                                             "and its key upper-cased, '.' as '_', e.g. {})",
                                             shown, environmentNameFor("sync.page_size"))
                               : fmt::format("unknown environment variable {} (did you mean {}?)", shown, meant));
    }
    return warnings;
}

std::vector<std::string> environmentWarnings() {
    std::vector<std::string> names;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        names.emplace_back(text.substr(0, text.find('=')));  // the name only: the value may be a secret
    }
    return unknownEnvironmentWarnings(names);
}

}  // namespace okarchive
