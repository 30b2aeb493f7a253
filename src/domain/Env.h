#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace okarchive {

/// A request to stop, shared by everything that waits on behalf of one piece of work (leveldb's Env has no such
/// thing; okarchive needs it so SIGTERM wakes every wait). Thread-safe; never un-cancelled.
class Cancellation {
public:
    Cancellation() = default;
    Cancellation(const Cancellation&) = delete;
    Cancellation& operator=(const Cancellation&) = delete;

    /// Wakes every wait on this cancellation and runs every registered callback once (on the calling thread).
    void cancel();
    bool cancelled() const;

    /// Waits until `deadline` or cancel(), whichever comes first. Returns false when cancelled (at once if already).
    bool waitUntil(std::chrono::steady_clock::time_point deadline) const;
    /// How many threads are blocked in waitUntil now; lets a test cancel a wait it knows has begun.
    std::size_t waiting() const;

    /// Keeps a callback registered until destroyed; the callback never runs after the destructor returned.
    class Registration {
    public:
        Registration() = default;
        Registration(const Cancellation* owner, std::uint64_t id) : _owner(owner), _id(id) {}
        Registration(Registration&& other) noexcept : _owner(other._owner), _id(other._id) { other._owner = nullptr; }
        Registration& operator=(Registration&& other) noexcept;
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;
        ~Registration() { reset(); }
        void reset();

    private:
        const Cancellation* _owner = nullptr;
        std::uint64_t _id = 0;
    };

    /// Runs `callback` on cancel() (at once, on this thread, if already cancelled), e.g. to shut a socket that a
    /// blocking read waits on.
    [[nodiscard]] Registration onCancel(std::function<void()> callback) const;

    /// A cancellation nobody cancels, for work that has no stop (one-shot commands, tests).
    static const Cancellation& never();

private:
    void unregister(std::uint64_t id) const;

    mutable std::mutex _mutex;
    mutable std::condition_variable _changed;
    mutable std::map<std::uint64_t, std::function<void()>> _callbacks;
    mutable std::uint64_t _nextId = 1;
    mutable std::size_t _waiting = 0;    ///< threads inside waitUntil (counted under _mutex)
    mutable std::uint64_t _running = 0;  ///< id of the callback cancel() is running now (0: none)
    mutable std::condition_variable _callbackDone;
    bool _cancelled = false;
};

/// Where okarchive reads the time and waits (leveldb's Env): the system's, or a hand-driven one in tests, so no test
/// sleeps and every wait can be cancelled. Thread-safe.
class Env {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    virtual ~Env() = default;

    virtual TimePoint now() const = 0;        ///< monotonic: deadlines, intervals, durations
    virtual std::int64_t wallMs() const = 0;  ///< ms since the Unix epoch: the *_at columns, reports, periods

    /// Waits until `deadline` (monotonic) or until `cancel` is cancelled. Returns false when cancelled.
    virtual bool sleepUntil(TimePoint deadline, const Cancellation& cancel) = 0;
    bool sleepFor(std::chrono::nanoseconds delay, const Cancellation& cancel) {
        return sleepUntil(now() + delay, cancel);
    }

    std::chrono::system_clock::time_point wallNow() const {
        return std::chrono::system_clock::time_point(std::chrono::milliseconds(wallMs()));
    }

    /// The real clocks; waits block the calling thread on the cancellation's condition variable.
    static Env& system();
};

}  // namespace okarchive
