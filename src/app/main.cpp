#include <iostream>
#include <string>

#include <Poco/Exception.h>

#include "app/Commands.h"
#include "app/OkarchiveApp.h"
#include "app/ServeLogging.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "net/HttpTransport.h"

int main(int argc, char** argv) {
    okarchive::ignoreBrokenPipes();  // before any thread; the signal masks of sync and serve leave SIGPIPE alone
    okarchive::OkarchiveApp app;
    try {
        app.init(argc, argv);
        return app.runInForeground();  // initialize() layers the configuration and may throw UsageError too
    } catch (const okarchive::UsageError& e) {
        std::cerr << okarchive::stderrPriorityPrefix(okarchive::kSyslogError)
                  << "okarchive: " << okarchive::inertText(e.what()) << "\n";
        return okarchive::ExitUsage;
    } catch (const Poco::Exception& e) {  // unknown option, missing argument, ...
        std::cerr << okarchive::stderrPriorityPrefix(okarchive::kSyslogError) << "okarchive: " << e.displayText()
                  << "; see okarchive --help\n";
        return okarchive::ExitUsage;
    }
}
