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

namespace {

using okarchive::sim::CliOptions;
using okarchive::sim::Simulator;

/// --dump-truth: prints the chat's truth NDJSON; 2 if no such chat is configured.
int dumpTruth(Simulator& simulator, const CliOptions& options) {
    bool configured = false;
    for (const auto& chat : options.config.chats) configured = configured || chat.chatId == options.dumpTruthChat;
    if (!configured) {
        std::cerr << "okapi-sim: --dump-truth: no chat " << options.dumpTruthChat << " is configured\n";
        return 2;
    }
    std::ios::sync_with_stdio(false);
    simulator.writeTruth(options.dumpTruthChat, options.dumpReachable, std::cout);
    std::cout.flush();
    return std::cout ? 0 : 1;
}

/// Listens until one of `signals` arrives; 1 if it cannot listen.
int serve(Simulator& simulator, const CliOptions& options, const sigset_t& signals) {
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
}

}  // namespace

int main(int argc, char** argv) {
    // Block the termination signals in every thread; the main thread collects them with sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    CliOptions options;
    try {
        options = okarchive::sim::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::invalid_argument& e) {
        std::cerr << "okapi-sim: " << e.what() << "\nTry 'okapi-sim --help'.\n";
        return 2;
    }
    if (options.help) {
        std::cout << okarchive::sim::usageText();
        return 0;
    }
    try {
        Simulator simulator(options.config);
        return options.dumpTruthChat.empty() ? serve(simulator, options, signals) : dumpTruth(simulator, options);
    } catch (const std::invalid_argument& e) {
        std::cerr << "okapi-sim: " << e.what() << "\n";
        return 2;
    }
}
