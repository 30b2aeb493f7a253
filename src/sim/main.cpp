// okapi-sim: the OK Graph Bot API simulator as a command. See `okapi-sim --help`.
#include <Poco/Exception.h>

#include <csignal>
#include <iostream>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/CommandLine.h"
#include "sim/Simulator.h"

int main(int argc, char** argv) {
    using namespace okarchive::sim;
    // Block the termination signals in every thread; the main thread collects them with sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    CliOptions options;
    try {
        options = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::invalid_argument& e) {
        std::cerr << "okapi-sim: " << e.what() << "\nTry 'okapi-sim --help'.\n";
        return 2;
    }
    if (options.help) {
        std::cout << usageText();
        return 0;
    }
    try {
        Simulator simulator(options.config);
        if (!options.dumpTruthChat.empty()) {
            if (simulator.messageCount(options.dumpTruthChat) == 0 && [&] {
                    for (const auto& chat : options.config.chats)
                        if (chat.chatId == options.dumpTruthChat) return false;
                    return true;
                }()) {
                std::cerr << "okapi-sim: --dump-truth: no chat " << options.dumpTruthChat << " is configured\n";
                return 2;
            }
            std::ios::sync_with_stdio(false);
            simulator.writeTruth(options.dumpTruthChat, options.dumpReachable, std::cout);
            std::cout.flush();
            return std::cout ? 0 : 1;
        }
        try {
            simulator.start();
        } catch (const Poco::Exception& e) {
            std::cerr << "okapi-sim: cannot listen on " << options.config.host << ":" << options.config.port << ": "
                      << e.displayText() << "\n";
            return 1;
        }
        std::cout << "okapi-sim listening on " << simulator.baseUrl() << std::endl;
        int received = 0;
        sigwait(&signals, &received);
        simulator.stop();
        return 0;
    } catch (const std::invalid_argument& e) {
        std::cerr << "okapi-sim: " << e.what() << "\n";
        return 2;
    }
}
