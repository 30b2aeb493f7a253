#pragma once

#include <functional>
#include <string>

namespace okarchive {

/// The system-wide settings file, e.g. /etc/okarchive/okarchive.ini (from CMake's SYSCONFDIR).
std::string systemConfigFile();

/// Where okarchive looks for its settings file without --config, in order (the first that applies wins):
///   1. $OKARCHIVE_CONFIG when set (a path; /dev/null reads nothing, which is how tests stay hermetic);
///   2. $XDG_CONFIG_HOME/okarchive/okarchive.ini ($HOME/.config when XDG_CONFIG_HOME is unset), if it exists;
///   3. systemConfigFile(), if it exists.
/// A file that cannot even be looked at (a directory without search permission) counts as existing: reading it then
/// fails naming it, instead of the built-in defaults running silently.
/// Returns "" when none applies (built-in defaults, environment and --define only). Files are never merged.
/// `getenv` and `exists` are injectable for tests.
std::string defaultConfigFile(const std::function<const char*(const char*)>& getenv,
                              const std::function<bool(const std::string&)>& exists);
std::string defaultConfigFile();

/// The environment variable that names the settings file (step 1 above).
inline constexpr const char* kConfigEnvironmentVariable = "OKARCHIVE_CONFIG";

}  // namespace okarchive
