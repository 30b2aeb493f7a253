// okarchive-mangen: writes okarchive(1), okarchive.ini(5), okarchive-sim(1) and the bash completion from the one
// source each has (the command table, config/okarchive.ini, the simulator's --help). Built and run by CMake at build
// time, never installed: the pages cannot drift from what the binaries say, and okarchive itself carries no
// hidden option that prints them.
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>

#include "app/BashCompletion.h"
#include "app/ManPage.h"
#include "app/SampleConfig.h"
#include "sim/CommandLine.h"

namespace {

/// Writes `path` with `write`; throws naming the file if it cannot be written.
void writeFile(const std::string& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (out) write(out);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: okarchive-mangen SAMPLE_INI VERSION STATE_DIR MAN_DIR COMPLETION_DIR\n";
        return 2;
    }
    const std::string sample = argv[1], manDir = argv[4], completionDir = argv[5];
    const okarchive::ManPageFacts facts{argv[2], argv[3]};
    try {
        const auto settings = okarchive::readSampleConfig(sample);
        writeFile(manDir + "/okarchive.1", [&](std::ostream& out) { okarchive::writeOkarchivePage(out, facts); });
        writeFile(manDir + "/okarchive.ini.5",
                  [&](std::ostream& out) { okarchive::writeSettingsPage(out, settings, facts); });
        writeFile(manDir + "/okarchive-sim.1", [&](std::ostream& out) {
            okarchive::writeSimulatorPage(out, okarchive::sim::usageText(), "okarchive-sim", facts);
        });
        writeFile(completionDir + "/okarchive", [](std::ostream& out) { okarchive::writeBashCompletion(out); });
    } catch (const std::exception& e) {
        std::cerr << "okarchive-mangen: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
