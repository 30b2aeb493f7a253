#pragma once

#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/ServerApplication.h>
#include <Poco/Util/MapConfiguration.h>

#include "app/Commands.h"

namespace okarchive {

/// The command-line application: options, layered configuration (defaults < --config file < environment <
/// --define), dispatch to one command, and the mapping of failures to exit codes. Thin on purpose.
/// A ServerApplication (the one Poco application of the process) so that `serve` gets --daemon, --pidfile and
/// --umask; every other command runs exactly as a plain Application would.
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
    void printHelp() const;
    void layerConfiguration();
    void reloadConfigFile();

    bool _helpRequested = false;
    bool _versionRequested = false;
    std::string _configFile;
    std::string _configurationError;  ///< from initialize(), reported by main() (exit 2)
    Poco::AutoPtr<Poco::Util::MapConfiguration> _defines;
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _fileLayer;
    std::vector<std::string> _chats;
    std::string _format, _output, _dir;
    ExportOptions _export;
    SummaryOptions _summary;
};

}  // namespace okarchive
