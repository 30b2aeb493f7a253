#pragma once

#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/MapConfiguration.h>

#include "app/Commands.h"

namespace okarchive {

/// The command-line application: options, layered configuration (defaults < --config file < environment <
/// --define), dispatch to one command, and the mapping of failures to exit codes. Thin on purpose.
class OkarchiveApp : public Poco::Util::Application {
public:
    OkarchiveApp();

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

    bool _helpRequested = false;
    bool _versionRequested = false;
    std::string _configFile;
    Poco::AutoPtr<Poco::Util::MapConfiguration> _defines;
    std::vector<std::string> _chats;
    std::string _format, _output, _dir;
    ExportOptions _export;
};

}  // namespace okarchive
