#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace okarchive {

/// Runs tasks one at a time, in order, on its own thread, with a bounded queue. Used to commit page k to SQLite while
/// page k + 1 is being fetched. The first task that throws stops the worker; its exception is rethrown by the next
/// post() or by finish(), and the tasks queued after it are dropped (each task is a whole transaction, so dropping
/// one leaves the archive exactly as consistent as a crash would).
class SerialWorker {
public:
    explicit SerialWorker(std::size_t maxQueued);
    ~SerialWorker();  ///< stops after the task in progress; queued tasks are dropped
    SerialWorker(const SerialWorker&) = delete;
    SerialWorker& operator=(const SerialWorker&) = delete;

    void post(std::function<void()> task);  ///< blocks while the queue is full; rethrows an earlier failure
    void finish();                          ///< waits until every task ran; rethrows the first failure

private:
    void loop();
    void rethrowFailure();  // with _mutex held

    std::size_t _maxQueued;
    std::mutex _mutex;
    std::condition_variable _changed;
    std::deque<std::function<void()>> _tasks;
    bool _busy = false;
    bool _stopping = false;
    std::exception_ptr _failure;
    std::thread _thread;  // last: starts after every member above exists
};

}  // namespace okarchive
