#pragma once

#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/ServerApplication.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/OptionSet.h>

#include "app/Commands.h"

namespace okarchive {

/// The command-line application: global options, layered configuration (defaults < --config file < environment <
/// --define), dispatch to one command of commandTable() (which declares its own options; an option of another
/// command is refused), help, and the mapping of failures to exit codes. Thin on purpose.
/// A ServerApplication (the one Poco application of the process) so that `serve --daemon` detaches; --daemon,
/// --pidfile and --umask are serve's own options. Every other command runs exactly as a plain Application would.
class OkarchiveApp : public Poco::Util::ServerApplication {
public:
    OkarchiveApp();

    /// Whether the command line asks to detach (--daemon): then main() must use runDetached().
    static bool wantsDaemon(int argc, char** argv);
    /// Detaches, processes the command line, runs (Poco's ServerApplication::run(argc, argv)).
    int runDetached(int argc, char** argv) { return ServerApplication::run(argc, argv); }
    /// Runs after init(): initialize, main, uninitialize, in the foreground.
    int runInForeground() { return Application::run(); }

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void initialize(Poco::Util::Application& self) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleVersion(const std::string& name, const std::string& value);
    void handleConfig(const std::string& name, const std::string& value);
    void handleDefine(const std::string& name, const std::string& value);
    void handleCommandOption(const std::string& name, const std::string& value);
    /// The overview (command == nullptr) or one command's usage.
    void printHelp(std::ostream& out, const CommandSpec* command) const;
    int printRequestedHelp(const std::vector<std::string>& args) const;
    /// Why the options given do not fit `command` (an option of another command, one given twice), or "".
    std::string optionProblem(const CommandSpec& command) const;
    int runCommand(const CommandSpec& command, const std::vector<std::string>& args);
    void layerConfiguration();
    void reloadConfigFile();

    bool _helpRequested = false;
    bool _versionRequested = false;
    std::string _configFile;
    std::string _configurationError;  ///< from initialize(), reported by main() (exit 2)
    Poco::AutoPtr<Poco::Util::MapConfiguration> _defines;
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _fileLayer;
    Poco::Util::OptionSet _globalOptions;  ///< the options of no particular command (for help)
    CommandOptions _given;                 ///< the command options given, checked against the command in main()
};

}  // namespace okarchive
