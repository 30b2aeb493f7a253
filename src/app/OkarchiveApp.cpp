#include "app/OkarchiveApp.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <fmt/format.h>

#include "app/CommandHelp.h"
#include "app/ConfigLocation.h"
#include "app/EnvironmentCheck.h"
#include "app/ServeLogging.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "store/Archive.h"
#include "store/ArchiveLock.h"

#ifndef OKARCHIVE_VERSION
#define OKARCHIVE_VERSION "dev"
#endif

namespace okarchive {
namespace {

using Poco::Util::OptionCallback;

// Layer priorities: Poco searches the lowest number first.
constexpr int kDefinePriority = -300;
constexpr int kEnvironmentPriority = -200;
constexpr int kFilePriority = -100;
constexpr int kDefaultPriority = 100;

/// Whether `fd` is a pipe or socket whose reading end is gone (issue 10 makes that case quiet on its own).
bool isClosedPipe(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return false;
    pollfd probe{fd, POLLOUT, 0};
    return ::poll(&probe, 1, 0) == 1 && (probe.revents & (POLLERR | POLLHUP)) != 0;
}

/// Flushes standard output: a command whose output could not be written (a full disk, /dev/full) did not do its
/// job, so it says so and exits non-zero, whatever it returned.
int finishStandardOutput(int code, const std::string& command) {
    errno = 0;
    std::cout.flush();
    const bool flushed = std::fflush(stdout) == 0;
    const int error = errno;
    if ((flushed && std::cout.good() && !std::ferror(stdout)) || isClosedPipe(STDOUT_FILENO)) return code;
    std::cerr << fmt::format("okarchive{}: cannot write to standard output: {}\n", command.empty() ? "" : " " + command,
                             error != 0 ? std::strerror(error) : "write failed");
    return code == ExitOk ? ExitPartialFailure : code;
}

bool isKnownKey(const std::string& key) { return isKnownSetting(key); }

std::string absolutePath(const std::string& path) {
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(path, ec);
    return ec || path.empty() ? path : absolute.string();
}

/// Every leaf key below `root` in `config`.
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& root,
                 std::vector<std::string>& out) {
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(root, keys);
    if (keys.empty() && !root.empty()) out.push_back(root);
    for (const auto& k : keys) collectKeys(config, root.empty() ? k : root + "." + k, out);
}

UsageError unreadableSettings(const std::string& path, const std::string& why) {
    return UsageError(fmt::format("settings file '{}': cannot read it: {}", path, why));
}

/// The text of the FIFO `path` (a pipe such as --config=<(...)): opened without waiting for a writer, since open(2)
/// of a FIFO nobody writes to blocks for ever; one without a writer is refused by name.
std::string readPipe(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw unreadableSettings(path, std::strerror(errno));
    std::string text;
    char byte = 0;
    const auto first = ::read(fd, &byte, 1);  // 0: no writer; EAGAIN: a writer that has not written yet
    const int error = errno;
    if (first == 0 || (first < 0 && error != EAGAIN)) {
        ::close(fd);
        throw unreadableSettings(
            path, first == 0 ? "it is a FIFO (named pipe) that nobody writes to; give a file" : std::strerror(error));
    }
    if (first == 1) text.push_back(byte);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) != 0) {
        if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
        if (n < 0 && errno != EINTR) break;
    }
    const int readError = errno;
    ::close(fd);
    if (n < 0) throw unreadableSettings(path, std::strerror(readError));
    return text;
}

/// Poco's reader of the settings file `path`; a directory (on which it would loop for ever) or a FIFO is handled
/// here.
Poco::AutoPtr<Poco::Util::IniFileConfiguration> readSettingsFile(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw unreadableSettings(path, "it is a directory");
    if (!std::filesystem::is_fifo(path, ec)) return new Poco::Util::IniFileConfiguration(path);
    std::istringstream text(readPipe(path));
    return new Poco::Util::IniFileConfiguration(text);
}

/// Reads an INI settings file and refuses it if it holds a key okarchive does not know (a typo must not fall back
/// to a default silently).
Poco::AutoPtr<Poco::Util::IniFileConfiguration> loadConfigFile(const std::string& path) {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> file;
    try {
        file = readSettingsFile(path);
    } catch (const Poco::Exception& e) {
        throw UsageError(fmt::format("settings file '{}': cannot read it: {}", path, e.displayText()));
    }
    std::vector<std::string> keys;
    collectKeys(*file, "", keys);
    for (const auto& key : keys)
        if (!isKnownKey(key))
            throw UsageError(fmt::format("{}: unknown setting '{}' (see okarchive.ini(5))", path, key));
    return file;
}

}  // namespace

OkarchiveApp::OkarchiveApp() : _defines(new Poco::Util::MapConfiguration) { setUnixOptions(true); }

void OkarchiveApp::defineOptions(Poco::Util::OptionSet& options) {
    // serve declares --daemon, --pidfile and --umask as its own options (the other commands refuse them).
    using Handler = void (OkarchiveApp::*)(const std::string&, const std::string&);
    const std::map<std::string, Handler> handlers{{"help", &OkarchiveApp::handleHelp},
                                                  {"version", &OkarchiveApp::handleVersion},
                                                  {"config", &OkarchiveApp::handleConfig},
                                                  {"define", &OkarchiveApp::handleDefine}};
    for (const auto& spec : globalOptions())  // app/CommandHelp.h: the list help, man page and completion share
        options.addOption(pocoOption(spec).callback(OptionCallback<OkarchiveApp>(this, handlers.at(spec.name))));
    _globalOptions = options;
    for (const auto& spec : allCommandOptions())
        options.addOption(
            pocoOption(spec).callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleCommandOption)));
}

void OkarchiveApp::handleHelp(const std::string&, const std::string&) {
    _helpRequested = true;
    stopOptionsProcessing();
}

void OkarchiveApp::handleVersion(const std::string&, const std::string&) {
    _versionRequested = true;
    stopOptionsProcessing();
}

void OkarchiveApp::handleConfig(const std::string&, const std::string& value) {
    // Absolute, so that SIGHUP re-reads the same file after serve --daemon changed to /.
    _configGiven = true;
    _configFile = value;
    _configFileToReload = absolutePath(value);
}

void OkarchiveApp::handleDefine(const std::string&, const std::string& value) {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError(fmt::format("--define '{}': expected KEY=VALUE", value));
    const auto key = value.substr(0, eq);
    if (!isKnownKey(key)) throw UsageError(fmt::format("--define: unknown setting '{}' (see okarchive.ini(5))", key));
    _defines->setString(key, value.substr(eq + 1));
}

void OkarchiveApp::handleCommandOption(const std::string& name, const std::string& value) { _given.add(name, value); }

void OkarchiveApp::initialize(Poco::Util::Application& self) {
    Application::initialize(self);
    if (_helpRequested || _versionRequested) return;
    // Poco's Application::run() turns an exception from initialize() into a log line and exit 78: keep the error
    // for main(), which reports it as bad configuration (exit 2) like every other.
    try {
        layerConfiguration();
    } catch (const UsageError& e) {
        _configurationError = e.what();
    }
}

void OkarchiveApp::layerConfiguration() {
    Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
    for (const auto& s : knownSettings()) defaults->setString(s.key, s.defaultValue);
    config().add(defaults, kDefaultPriority, false);

    if (!_configGiven) {  // no --config: $OKARCHIVE_CONFIG, the user's file or the system's (app/ConfigLocation.h)
        _configFile = defaultConfigFile();
        _configFileToReload = absolutePath(_configFile);
    }
    if (!_configFile.empty()) {
        _fileLayer = loadConfigFile(_configFile);
        config().add(_fileLayer, kFilePriority, false);
    }

    const auto priority = stderrPriorityPrefix(kSyslogWarning);
    for (const auto& warning : environmentWarnings())
        std::cerr << priority << "okarchive: warning: " << warning << "\n";
    Poco::AutoPtr<Poco::Util::MapConfiguration> environment(new Poco::Util::MapConfiguration);
    for (const auto& s : knownSettings())
        if (const char* value = std::getenv(environmentNameFor(s.key).c_str())) environment->setString(s.key, value);
    if (const char* token = std::getenv("OKARCHIVE_ACCESS_TOKEN")) environment->setString("api.access_token", token);
    config().add(environment, kEnvironmentPriority, false);

    config().add(_defines, kDefinePriority, false);
}

void OkarchiveApp::reloadConfigFile() {
    if (_configFile.empty()) return;
    auto file = loadConfigFile(_configFileToReload);  // validated before the running configuration is touched
    if (_fileLayer) config().removeConfiguration(_fileLayer);
    config().add(file, kFilePriority, false);
    _fileLayer = file;
}

void OkarchiveApp::printHelp(std::ostream& out, const CommandSpec* command) const {
    if (command)
        printCommandHelp(out, commandName(), *command, _globalOptions);
    else
        printOverview(out, commandName(), _globalOptions);
}

int OkarchiveApp::printRequestedHelp(const std::vector<std::string>& args) const {
    const CommandSpec* command = args.empty() ? nullptr : findCommand(args.front());
    if (!args.empty() && !command) {
        std::cerr << fmt::format("okarchive: unknown command '{}' (commands: {})\n", args.front(), commandNames());
        return ExitUsage;
    }
    printHelp(std::cout, command);
    return ExitOk;
}

std::string OkarchiveApp::optionProblem(const CommandSpec& command) const {
    for (const auto& [name, value] : _given.given()) {
        const auto* option = command.option(name);
        if (!option)
            return fmt::format(
                "option --{0} is not an option of '{1}'; --{0} applies to {2} only (see 'okarchive "
                "help {1}')",
                name, command.name, commandsAccepting(name));
        if (!option->repeatable && _given.values(name).size() > 1)
            return fmt::format("option --{} is given more than once (see 'okarchive help {}')", name, command.name);
    }
    return {};
}

int OkarchiveApp::main(const std::vector<std::string>& args) {
    const int code = dispatch(args);
    return finishStandardOutput(code, args.empty() || _helpRequested ? "" : args.front());
}

int OkarchiveApp::dispatch(const std::vector<std::string>& args) {
    if (_helpRequested) return printRequestedHelp(args);
    if (_versionRequested) {
        std::cout << "okarchive " << OKARCHIVE_VERSION << "\n";
        return ExitOk;
    }
    if (!_configurationError.empty()) {
        std::cerr << stderrPriorityPrefix(kSyslogError) << "okarchive: " << _configurationError << "\n";
        return ExitUsage;
    }
    if (args.empty()) {
        std::cerr << fmt::format("okarchive: no command given ({}); see okarchive --help\n", commandNames());
        return ExitUsage;
    }
    const auto* command = findCommand(args.front());
    if (!command) {
        std::cerr << "okarchive: unknown command '" << args.front() << "'; see okarchive --help\n";
        return ExitUsage;
    }
    if (const auto problem = optionProblem(*command); !problem.empty()) {
        std::cerr << "okarchive " << command->name << ": " << problem << "\n";
        return ExitUsage;
    }
    if (args.size() > 1 && !command->takesArguments) {
        std::cerr << "okarchive: unexpected argument '" << args[1] << "'; see okarchive --help\n";
        return ExitUsage;
    }
    return runCommand(*command, args);
}

int OkarchiveApp::runCommand(const CommandSpec& command, const std::vector<std::string>& args) {
    CommandContext ctx{config(), _given, std::cout, std::cerr};
    ctx.configFile = _configFile;
    ctx.reloadConfig = [this] { reloadConfigFile(); };
    ctx.arguments.assign(args.begin() + 1, args.end());
    ctx.printHelp = [this](std::ostream& out, const CommandSpec* topic) { printHelp(out, topic); };
    const auto fail = [&](const std::exception& e, int code) {
        std::cerr << stderrPriorityPrefix(kSyslogError) << "okarchive " << command.name << ": " << inertText(e.what())
                  << "\n";
        return code;
    };
    try {
        Settings(config()).logFile();  // a log file over the archive would rotate the archive away: refused first
        setArchiveBusyTimeout(Settings(config()).archiveBusyTimeout());
        return command.run(ctx);
    } catch (const UsageError& e) {
        return fail(e, ExitUsage);
    } catch (const AuthError& e) {
        return fail(e, ExitAuth);
    } catch (const ArchiveLockedError& e) {
        return fail(e, ExitLocked);
    } catch (const std::exception& e) {
        return fail(e, ExitPartialFailure);
    }
}

}  // namespace okarchive
