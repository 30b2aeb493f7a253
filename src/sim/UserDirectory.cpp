#include "sim/UserDirectory.h"

#include <set>

#include "sim/Rng.h"
#include "sim/TextPools.h"

namespace okarchive::sim {

UserDirectory::UserDirectory(std::uint64_t seed, std::int64_t rangeStart, std::int64_t rangeEnd) {
    Rng rng(mix64(seed ^ 0x7573657273ULL));
    std::set<std::uint64_t> seen;
    const auto& names = userNames();
    _users.reserve(names.size());
    for (const auto name : names) {
        std::uint64_t number = 0;
        do {
            number = 500000000000ULL + rng.below(99999999999ULL);
        } while (!seen.insert(number).second);
        SimUser user;
        user.number = number;
        user.userId = "user:" + std::to_string(number);
        user.name = std::string(name);
        _users.push_back(std::move(user));
    }
    const auto& later = renamedNames();
    const auto& who = renamedUsers();
    const std::int64_t span = rangeEnd > rangeStart ? rangeEnd - rangeStart : 1;
    for (std::size_t i = 0; i < who.size() && i < later.size(); ++i) {
        SimUser& user = _users.at(who[i]);
        user.laterName = std::string(later[i]);
        user.renamedAt =
            rangeStart + span / 5 + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span) * 3 / 5));
    }
}

const std::string& UserDirectory::nameAt(const SimUser& user, std::int64_t timestamp) {
    if (!user.laterName.empty() && timestamp >= user.renamedAt) return user.laterName;
    return user.name;
}

}  // namespace okarchive::sim
