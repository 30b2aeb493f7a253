#include "app/OkarchiveApp.h"

#include <cstdlib>
#include <iostream>

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <fmt/format.h>

#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/Errors.h"
#include "store/ArchiveLock.h"

#ifndef OKARCHIVE_VERSION
#define OKARCHIVE_VERSION "dev"
#endif

namespace okarchive {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

// Layer priorities: Poco searches the lowest number first.
constexpr int kDefinePriority = -300;
constexpr int kEnvironmentPriority = -200;
constexpr int kFilePriority = -100;
constexpr int kDefaultPriority = 100;

bool isKnownKey(const std::string& key) { return isKnownSetting(key); }

/// Every leaf key below `root` in `config`.
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& root,
                 std::vector<std::string>& out) {
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(root, keys);
    if (keys.empty() && !root.empty()) out.push_back(root);
    for (const auto& k : keys) collectKeys(config, root.empty() ? k : root + "." + k, out);
}

/// Reads an INI settings file and refuses it if it holds a key okarchive does not know (a typo must not fall back
/// to a default silently).
Poco::AutoPtr<Poco::Util::IniFileConfiguration> loadConfigFile(const std::string& path) {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> file;
    try {
        file = new Poco::Util::IniFileConfiguration(path);
    } catch (const Poco::Exception& e) {
        throw UsageError(fmt::format("--config: cannot read '{}': {}", path, e.displayText()));
    }
    std::vector<std::string> keys;
    collectKeys(*file, "", keys);
    for (const auto& key : keys)
        if (!isKnownKey(key))
            throw UsageError(fmt::format("{}: unknown setting '{}' (see config/okarchive.ini)", path, key));
    return file;
}

}  // namespace

OkarchiveApp::OkarchiveApp() : _defines(new Poco::Util::MapConfiguration) { setUnixOptions(true); }

bool OkarchiveApp::wantsDaemon(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--daemon") return true;
    return false;
}

void OkarchiveApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);  // --daemon, --pidfile, --umask (serve)
    options.addOption(Option("help", "h", "show this help and exit")
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleHelp)));
    options.addOption(Option("version", "", "show the version and exit")
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleVersion)));
    options.addOption(Option("config", "c", "read settings from an INI file")
                          .argument("FILE")
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleConfig)));
    options.addOption(Option("define", "D", "set a setting, overriding file and environment")
                          .argument("KEY=VALUE")
                          .repeatable(true)
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleDefine)));
    options.addOption(Option("chat", "", "(sync, export, report) a chat:ID; repeatable")
                          .argument("chat:ID")
                          .repeatable(true)
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleCommandOption)));
    auto exportOption = [&](const char* name, const char* help, const char* argument, bool repeatable = false) {
        Option option(name, "", help);
        if (argument) option.argument(argument);
        option.repeatable(repeatable);
        option.callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleCommandOption));
        options.addOption(option);
    };
    exportOption("since", "(export, report) from this time on: YYYY-MM-DD, ISO 8601 with offset, or epoch ms", "T");
    exportOption("until", "(export, report) before this time (exclusive)", "T");
    exportOption("sender", "(export) only messages of user:ID; repeatable", "user:ID", true);
    exportOption("kind", "(export) message or service", "KIND");
    exportOption("has", "(export) only messages with an attachment of TYPE; repeatable", "TYPE", true);
    exportOption("contains", "(export) only texts containing TEXT, ignoring case", "TEXT");
    exportOption("partition", "(export) N messages or a size (20mb) per file", "N|SIZE");
    exportOption("timezone", "(export, report) time zone for times, days and hours (default UTC)", "Area/City");
    exportOption("excel", "(export) CSV with a UTF-8 byte order mark for Excel", nullptr);
    exportOption("raw-csv", "(export) CSV without the formula-injection guard", nullptr);
    exportOption("no-digests", "(export) leave out the digests okarchive itself posted", nullptr);
    options.addOption(Option("format", "", "(export) ndjson, json, csv or html; (report) html or json")
                          .argument("FORMAT")
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleCommandOption)));
    options.addOption(Option("output", "o", "(export, report) output file, - for standard output")
                          .argument("PATH")
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleCommandOption)));
    exportOption("period", "(summary) day, week or month", "PERIOD");
    exportOption("at", "(summary) a date inside the period (default: the latest closed one)", "DATE");
    exportOption("dry-run", "(summary) print the digest, do not post it", nullptr);
    exportOption("force", "(summary) post even if this period's digest was posted already", nullptr);
    options.addOption(Option("dir", "", "(demo) where the demo writes its archive and exports")
                          .argument("DIR")
                          .callback(OptionCallback<OkarchiveApp>(this, &OkarchiveApp::handleCommandOption)));
}

void OkarchiveApp::handleHelp(const std::string&, const std::string&) {
    _helpRequested = true;
    stopOptionsProcessing();
}

void OkarchiveApp::handleVersion(const std::string&, const std::string&) {
    _versionRequested = true;
    stopOptionsProcessing();
}

void OkarchiveApp::handleConfig(const std::string&, const std::string& value) { _configFile = value; }

void OkarchiveApp::handleDefine(const std::string&, const std::string& value) {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError(fmt::format("--define '{}': expected KEY=VALUE", value));
    const auto key = value.substr(0, eq);
    if (!isKnownKey(key))
        throw UsageError(fmt::format("--define: unknown setting '{}' (see config/okarchive.ini)", key));
    _defines->setString(key, value.substr(eq + 1));
}

void OkarchiveApp::handleCommandOption(const std::string& name, const std::string& value) {
    if (name == "chat")
        _chats.push_back(value);
    else if (name == "format")
        _format = value;
    else if (name == "output")
        _output = value;
    else if (name == "dir")
        _dir = value;
    else if (name == "since")
        _export.since = value;
    else if (name == "until")
        _export.until = value;
    else if (name == "sender")
        _export.senders.push_back(value);
    else if (name == "kind")
        _export.kind = value;
    else if (name == "has")
        _export.has.push_back(value);
    else if (name == "contains") {
        _export.contains = value;
        _export.containsGiven = true;
    } else if (name == "partition")
        _export.partition = value;
    else if (name == "timezone")
        _export.timezone = value;
    else if (name == "excel")
        _export.excel = true;
    else if (name == "raw-csv")
        _export.rawCsv = true;
    else if (name == "no-digests")
        _export.noDigests = true;
    else if (name == "period")
        _summary.period = value;
    else if (name == "at")
        _summary.at = value;
    else if (name == "dry-run")
        _summary.dryRun = true;
    else if (name == "force")
        _summary.force = true;
}

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

    if (!_configFile.empty()) {
        _fileLayer = loadConfigFile(_configFile);
        config().add(_fileLayer, kFilePriority, false);
    }

    Poco::AutoPtr<Poco::Util::MapConfiguration> environment(new Poco::Util::MapConfiguration);
    for (const auto& s : knownSettings())
        if (const char* value = std::getenv(environmentNameFor(s.key).c_str())) environment->setString(s.key, value);
    if (const char* token = std::getenv("OKARCHIVE_ACCESS_TOKEN")) environment->setString("api.access_token", token);
    config().add(environment, kEnvironmentPriority, false);

    config().add(_defines, kDefinePriority, false);
}

void OkarchiveApp::reloadConfigFile() {
    if (_configFile.empty()) return;
    auto file = loadConfigFile(_configFile);  // validated before the running configuration is touched
    if (_fileLayer) config().removeConfiguration(_fileLayer);
    config().add(file, kFilePriority, false);
    _fileLayer = file;
}

void OkarchiveApp::printHelp() const {
    Poco::Util::HelpFormatter help(options());
    help.setUnixStyle(true);
    help.setWidth(112);
    help.setCommand(commandName());
    help.setUsage("[--config=FILE] [--define=KEY=VALUE]... COMMAND [OPTIONS]");
    help.setHeader(
        "Archives OK group chats into SQLite and exports them.\n\n"
        "Commands:\n"
        "  sync [--chat=chat:ID]...                 archive everything new in the chats (default: sync.chats)\n"
        "  export --format=ndjson|json|csv|html --chat=chat:ID|all --output=PATH [filters] [--partition=N|SIZE]\n"
        "         [--timezone=Area/City] [--excel] [--raw-csv]   streaming, atomic exports (- = stdout)\n"
        "  report --format=html|json --chat=chat:ID|all --output=PATH [--since=T] [--until=T] [--timezone=Area/City]\n"
        "                                           activity report: per day, hour of week, senders, joins, "
        "conversations\n"
        "  chats                                    the bot's chats and what the archive holds of each\n"
        "  status                                   per archived chat: messages, range, last sync, gaps, warnings\n"
        "  demo [--dir=DIR]                         the whole pipeline against the built-in simulator\n"
        "  serve [--daemon] [--pidfile=FILE]        keep every chat archived on a schedule; /healthz, /metrics, "
        "digests\n"
        "  summary --chat=chat:ID (--period=day|week|month [--at=DATE] | --since=T --until=T) [--dry-run] [--force]\n"
        "                                           print a chat's digest and post it into the chat (once)\n\n"
        "Options:");
    help.setFooter(
        "Exit codes: 0 ok, 1 some chats failed, 2 bad usage or configuration, 3 token invalid or expired,\n"
        "4 the archive is in use by another okarchive (sync, serve, summary).\n"
        "Settings: see config/okarchive.ini; environment OKARCHIVE_<KEY> (e.g. OKARCHIVE_ACCESS_TOKEN).");
    help.format(std::cout);
}

int OkarchiveApp::main(const std::vector<std::string>& args) {
    if (_helpRequested) {
        printHelp();
        return ExitOk;
    }
    if (_versionRequested) {
        std::cout << "okarchive " << OKARCHIVE_VERSION << "\n";
        return ExitOk;
    }
    if (!_configurationError.empty()) {
        std::cerr << "okarchive: " << _configurationError << "\n";
        return ExitUsage;
    }
    if (args.empty()) {
        std::cerr << "okarchive: no command given (sync, export, report, chats, status, demo, serve, summary); see "
                     "okarchive --help\n";
        return ExitUsage;
    }
    if (args.size() > 1) {
        std::cerr << "okarchive: unexpected argument '" << args[1] << "'; see okarchive --help\n";
        return ExitUsage;
    }
    CommandContext ctx{config(), _chats, _format, _output, _dir, _export, std::cout, std::cerr};
    ctx.summary = _summary;
    ctx.reloadConfig = [this] { reloadConfigFile(); };
    if (config().getBool("application.runAsDaemon", false) && args.front() != "serve") {
        std::cerr << "okarchive: --daemon is only for serve\n";
        return ExitUsage;
    }
    const auto& command = args.front();
    try {
        if (command == "sync") return runSync(ctx);
        if (command == "export") return runExport(ctx);
        if (command == "report") return runReport(ctx);
        if (command == "chats") return runChats(ctx);
        if (command == "status") return runStatus(ctx);
        if (command == "demo") return runDemo(ctx);
        if (command == "serve") return runServe(ctx);
        if (command == "summary") return runSummary(ctx);
        std::cerr << "okarchive: unknown command '" << command << "'; see okarchive --help\n";
        return ExitUsage;
    } catch (const UsageError& e) {
        std::cerr << "okarchive " << command << ": " << e.what() << "\n";
        return ExitUsage;
    } catch (const AuthError& e) {
        std::cerr << "okarchive " << command << ": " << e.what() << "\n";
        return ExitAuth;
    } catch (const ArchiveLockedError& e) {
        std::cerr << "okarchive " << command << ": " << e.what() << "\n";
        return ExitLocked;
    } catch (const std::exception& e) {
        std::cerr << "okarchive " << command << ": " << e.what() << "\n";
        return ExitPartialFailure;
    }
}

}  // namespace okarchive
