#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace okarchive::sim {

/// The failures the simulator can inject into API responses.
enum class FaultKind { None, Http500, Http503, Http429, Error8, Error2, Truncated, NonJson, Reset, Delay };

/// One decision: which fault (if any) and a variant bit (e.g. nonjson's 502 or 200).
struct Fault {
    FaultKind kind = FaultKind::None;
    std::uint64_t variant = 0;
};

/// Decides, deterministically from the seed and the API request number, whether a request fails and how.
/// Thread-safe. Also owns the interruptible sleep of the delay fault.
class FaultInjector {
public:
    /// Throws std::invalid_argument for a rate outside 0..1 or an unknown kind.
    FaultInjector(std::uint64_t seed, double rate, const std::vector<std::string>& kinds);

    /// Changes rate and kinds at run time (empty kinds: every kind but delay). Throws std::invalid_argument.
    void configure(double rate, const std::vector<std::string>& kinds);

    /// The current fault rate.
    double rate() const;

    /// The names of the kinds in use now.
    std::vector<std::string> kinds() const;

    /// The fault for the next API request (counts the request).
    Fault next();

    /// Sleeps `ms` unless stop() is called first; false if interrupted.
    bool sleep(int ms);

    /// Wakes every sleeper and makes later sleeps return at once.
    void stop();

    /// Undoes stop(): sleeps last their full time again.
    void resume();

    /// The kind named by `name` (500 503 429 error8 error2 truncated nonjson reset delay); throws
    /// std::invalid_argument.
    static FaultKind parseKind(const std::string& name);

    /// The names of the kinds, in the order parseKind knows them.
    static const std::vector<std::string>& kindNames();

private:
    static std::vector<FaultKind> parseKinds(const std::vector<std::string>& kinds);

    const std::uint64_t _seed;
    mutable std::mutex _mutex;
    std::condition_variable _wake;
    bool _stopped = false;
    double _rate = 0;
    std::vector<FaultKind> _kinds;
    std::vector<std::string> _kindNames;
    std::uint64_t _counter = 0;
};

}  // namespace okarchive::sim
