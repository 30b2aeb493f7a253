#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace okarchive::sim {

/// One simulated OK user. Some are renamed at `renamedAt`: messages from then on carry `laterName`.
struct SimUser {
    std::string userId;        ///< "user:NNNNNNNNNNNN"
    std::uint64_t number = 0;  ///< the numeric part of userId (service messages' `ui`)
    std::string name;
    std::string laterName;  ///< empty when never renamed
    std::int64_t renamedAt = 0;
};

/// The ~30 users of a dataset, derived deterministically from the seed. Immutable after construction.
class UserDirectory {
public:
    /// Builds the users; renames fall inside [rangeStart, rangeEnd).
    UserDirectory(std::uint64_t seed, std::int64_t rangeStart, std::int64_t rangeEnd);

    const std::vector<SimUser>& users() const { return _users; }
    const SimUser& user(std::size_t index) const { return _users.at(index); }

    /// The name `user` carried on a message sent at `timestamp`.
    static const std::string& nameAt(const SimUser& user, std::int64_t timestamp);

private:
    std::vector<SimUser> _users;
};

}  // namespace okarchive::sim
