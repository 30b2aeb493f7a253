#include <iostream>

#include <Poco/Exception.h>

#include "app/Commands.h"
#include "app/OkarchiveApp.h"
#include "domain/Errors.h"

int main(int argc, char** argv) {
    okarchive::OkarchiveApp app;
    try {
        app.init(argc, argv);
        return app.run();  // initialize() layers the configuration and may throw UsageError too
    } catch (const okarchive::UsageError& e) {
        std::cerr << "okarchive: " << e.what() << "\n";
        return okarchive::ExitUsage;
    } catch (const Poco::Exception& e) {  // unknown option, missing argument, ...
        std::cerr << "okarchive: " << e.displayText() << "; see okarchive --help\n";
        return okarchive::ExitUsage;
    }
}
