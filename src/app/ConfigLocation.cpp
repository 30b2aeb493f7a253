#include "app/ConfigLocation.h"

#include <cstdlib>
#include <filesystem>

#ifndef OKARCHIVE_SYSCONFDIR
#define OKARCHIVE_SYSCONFDIR "/etc"
#endif

namespace okarchive {

std::string systemConfigFile() { return std::string(OKARCHIVE_SYSCONFDIR) + "/okarchive/okarchive.ini"; }

std::string defaultConfigFile(const std::function<const char*(const char*)>& getenv,
                              const std::function<bool(const std::string&)>& exists) {
    if (const char* named = getenv(kConfigEnvironmentVariable)) return named;
    std::string userDirectory;
    if (const char* xdg = getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/')  // the spec ignores a relative one
        userDirectory = xdg;
    else if (const char* home = getenv("HOME"); home && *home)
        userDirectory = std::string(home) + "/.config";
    if (!userDirectory.empty()) {
        const auto user = userDirectory + "/okarchive/okarchive.ini";
        if (exists(user)) return user;
    }
    const auto system = systemConfigFile();
    return exists(system) ? system : std::string();
}

std::string defaultConfigFile() {
    return defaultConfigFile(
        [](const char* name) { return std::getenv(name); },
        [](const std::string& path) {
            // A file the user may not even stat (EACCES: /etc/okarchive is 0750 root:okarchive)
            // counts as there, so reading it names the file instead of using the defaults.
            std::error_code ec;
            return std::filesystem::exists(path, ec) ||
                   (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory);
        });
}

}  // namespace okarchive
