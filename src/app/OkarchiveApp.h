#pragma once

#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/OptionSet.h>

#include "app/Commands.h"

namespace okarchive {

/// The command-line application: global options, layered configuration (defaults < --config file < environment <
/// --define), dispatch to one command of commandTable() (which declares its own options; an option of another
/// command is refused), help, and the mapping of failures to exit codes. Thin on purpose.
/// Without --config the settings file is found by defaultConfigFile() (app/ConfigLocation.h).
/// --daemon, --pidfile and --umask are serve's own options: serve detaches itself once it is ready (app/Daemon.h).
/// Every command's standard output is flushed at the end; a failed write is an error naming standard output.
class OkarchiveApp : public Poco::Util::Application {
public:
    OkarchiveApp();

    /// Runs after init(): initialize, main, uninitialize.
    int runInForeground() { return Application::run(); }

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void initialize(Poco::Util::Application& self) override;
    int main(const std::vector<std::string>& args) override;

private:
    int dispatch(const std::vector<std::string>& args);  ///< main() without the final check of standard output
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
    bool _configGiven = false;        ///< --config was given (else defaultConfigFile() is read)
    std::string _configFile;          ///< the settings file read, "" for none
    std::string _configFileToReload;  ///< _configFile made absolute when given (serve --daemon changes to /)
    std::string _configurationError;  ///< from initialize(), reported by main() (exit 2)
    Poco::AutoPtr<Poco::Util::MapConfiguration> _defines;
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _fileLayer;
    Poco::Util::OptionSet _globalOptions;  ///< the options of no particular command (for help)
    CommandOptions _given;                 ///< the command options given, checked against the command in main()
};

}  // namespace okarchive
