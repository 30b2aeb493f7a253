#include "app/StopSignals.h"

#include <pthread.h>

namespace okarchive {

StopSignals::StopSignals() {
    sigemptyset(&_signals);
    sigaddset(&_signals, SIGINT);
    sigaddset(&_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &_signals, &_previous);
    _thread = std::thread([this] { wait(); });
}

StopSignals::~StopSignals() {
    _closing = true;
    pthread_kill(_thread.native_handle(), SIGTERM);  // blocked there too: it only ends the sigwait
    _thread.join();
    pthread_sigmask(SIG_SETMASK, &_previous, nullptr);
}

void StopSignals::wait() {
    for (;;) {  // until the destructor's own signal: a second Ctrl-C is swallowed like the first
        int sig = 0;
        if (sigwait(&_signals, &sig) != 0) continue;
        if (_closing) return;
        int none = 0;
        _received.compare_exchange_strong(none, sig);
        _cancel.cancel();
    }
}

std::string StopSignals::received() const {
    switch (_received.load()) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        default: return "";
    }
}

}  // namespace okarchive
