#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "domain/Env.h"

namespace okarchive {

/// While it lives, SIGINT and SIGTERM (and SIGQUIT if asked) cancel cancellation() instead of killing the process,
/// and SIGHUP (if asked) runs a hook: they are blocked and waited for on a thread of its own. Create it before any
/// other thread starts (threads inherit the signal mask). The one signal handling of sync and serve.
class StopSignals {
public:
    struct Options {
        bool quitStops = false;     ///< SIGQUIT stops as SIGTERM does (else it keeps its default action)
        bool handleHangup = false;  ///< SIGHUP runs the hook given to onHangup() (else its default action)
        bool hangupStops = false;   ///< SIGHUP stops as SIGTERM does (export, report); overrides handleHangup
        std::function<void(const std::string& signal)> onStop;  ///< on the first stop signal ("SIGTERM"), if set
    };

    StopSignals() : StopSignals(Options{}) {}
    explicit StopSignals(Options options);
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    const Cancellation& cancellation() const { return _cancel; }
    std::string received() const;  ///< "SIGINT", "SIGTERM" or "SIGQUIT" once one came, else ""
    int exitCode() const;          ///< the conventional status of the stop signal received (128 + its number), or 0

    /// Runs `hook` on every SIGHUP (on the signal thread) until the returned handle is destroyed.
    [[nodiscard]] std::shared_ptr<void> onHangup(std::function<void()> hook);

    /// "SIGTERM" for SIGTERM, ...; "signal N" for a number it does not name.
    static std::string nameOf(int signal);

private:
    void wait();
    void stop(int signal);
    void hangUp();
    void drainPending();

    Options _options;
    Cancellation _cancel;
    sigset_t _signals;
    sigset_t _previous;
    std::mutex _hookMutex;
    std::function<void()> _hangup;
    std::atomic<int> _received{0};
    std::atomic<bool> _closing{false};
    std::thread _thread;  // last: starts after every member above exists
};

}  // namespace okarchive
