// An LD_PRELOAD shim for integration tests: the real okarchive binary sees its wall clock (CLOCK_REALTIME, as read by
// std::chrono::system_clock) shifted by OKARCHIVE_TEST_CLOCK_SHIFT_MS, while okapi-sim keeps the true time, as a
// host whose clock is off from the API's would. Monotonic clocks are untouched.
#include <dlfcn.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>

namespace {

std::int64_t shiftMs() {
    static const std::int64_t shift = [] {
        const char* text = std::getenv("OKARCHIVE_TEST_CLOCK_SHIFT_MS");
        return text ? static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)) : std::int64_t{0};
    }();
    return shift;
}

void shift(timespec* ts) {
    constexpr std::int64_t kNsPerSecond = 1'000'000'000;
    std::int64_t ns = static_cast<std::int64_t>(ts->tv_nsec) + (shiftMs() % 1000) * 1'000'000;
    std::int64_t s = static_cast<std::int64_t>(ts->tv_sec) + shiftMs() / 1000;
    if (ns < 0) {
        ns += kNsPerSecond;
        --s;
    } else if (ns >= kNsPerSecond) {
        ns -= kNsPerSecond;
        ++s;
    }
    ts->tv_sec = static_cast<time_t>(s);
    ts->tv_nsec = static_cast<long>(ns);
}

}  // namespace

extern "C" int clock_gettime(clockid_t id, timespec* ts) {
    using Real = int (*)(clockid_t, timespec*);
    static const Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "clock_gettime"));
    const int rc = real(id, ts);
    if (rc == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) shift(ts);
    return rc;
}
