#pragma once

#include <string>
#include <utility>
#include <vector>

namespace okarchive {

/// Generated at build time from migrations/*.sql (see src/store/CMakeLists.txt): (file name, SQL text), sorted by name.
std::vector<std::pair<std::string, std::string>> embeddedMigrations();

}  // namespace okarchive
