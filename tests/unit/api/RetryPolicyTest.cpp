#include <catch2/catch.hpp>

#include <climits>

#include "api/RetryPolicy.h"

using namespace okarchive;
using namespace std::chrono_literals;

TEST_CASE("Error codes are classified as the API notes say", "[retry]") {
    for (int code : {1, 2, 8, 11}) CHECK(classifyErrorCode(code) == ErrorClass::Transient);
    for (int code : {101, 102, 103}) CHECK(classifyErrorCode(code) == ErrorClass::Auth);
    for (int code : {10, 50, 300}) CHECK(classifyErrorCode(code) == ErrorClass::ChatAccess);
    for (int code : {0, 3, 4, 7, 9, 100, 104, 110, 12345, -1}) CHECK(classifyErrorCode(code) == ErrorClass::Final);
    CHECK(std::string(errorCodeName(102)) == "PARAM_SESSION_EXPIRED");
    CHECK(std::string(errorCodeName(8)) == "FLOOD_BLOCKED");
    CHECK(std::string(errorCodeName(999)).empty());
}

TEST_CASE("Backoff is full jitter under a cap that doubles and saturates", "[retry]") {
    RetryPolicy policy;
    policy.baseDelay = 100ms;
    policy.maxDelay = 10000ms;
    std::mt19937_64 rng(42);
    for (int attempt = 0; attempt < 20; ++attempt) {
        const long long cap = std::min<long long>(10000, 100LL << attempt);
        long long lo = LLONG_MAX, hi = -1;
        for (int draw = 0; draw < 2000; ++draw) {
            long long d = policy.backoff(attempt, rng).count();
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        INFO("attempt " << attempt << " cap " << cap);
        CHECK(lo >= 0);
        CHECK(hi <= cap);
        CHECK(hi > cap * 9 / 10);  // the whole range is used
        CHECK(lo < cap / 10 + 1);
    }
    for (int attempt : {62, 63, 64, 100, 1000, INT_MAX}) {
        for (int draw = 0; draw < 200; ++draw) {
            auto d = policy.backoff(attempt, rng);
            CHECK(d >= 0ms);
            CHECK(d <= 10000ms);
        }
    }
    CHECK(policy.backoff(-5, rng) <= 100ms);
    RetryPolicy zero;
    zero.baseDelay = 0ms;
    CHECK(zero.backoff(10, rng) == 0ms);
    RetryPolicy huge;
    huge.baseDelay = std::chrono::milliseconds(LLONG_MAX / 4);
    huge.maxDelay = std::chrono::milliseconds(LLONG_MAX / 2);
    CHECK(huge.backoff(40, rng) <= huge.maxDelay);
}

TEST_CASE("Retry-After as delta-seconds", "[retry]") {
    auto now = std::chrono::system_clock::now();
    CHECK(parseRetryAfter("0", now) == 0ms);
    CHECK(parseRetryAfter("120", now) == 120000ms);
    CHECK(parseRetryAfter(" 7 ", now) == 7000ms);
    CHECK(parseRetryAfter("99999999999999999999999", now) > std::chrono::milliseconds(24LL * 3600 * 1000 * 365));
    for (const char* bad : {"", " ", "-1", "1.5", "abc", "10s", "+5", "0x10", "Sun, 06 Nov", "12:30:00"})
        CHECK_FALSE(parseRetryAfter(bad, now));
}

TEST_CASE("Retry-After as an HTTP date", "[retry]") {
    // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s since the epoch.
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));
    CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", at - 10s) == 10000ms);
    CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", at - 1500ms) == 1500ms);
    CHECK(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", at - 3s) == 3000ms);
    CHECK(parseRetryAfter("Sun Nov  6 08:49:37 1994", at - 60s) == 60000ms);
    CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", at + 1h) == 0ms);  // in the past
    CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", at) == 0ms);
    CHECK_FALSE(parseRetryAfter("tomorrow at noon", at));
    CHECK_FALSE(parseRetryAfter("Sun, 06 Xyz 1994 08:49:37 GMT", at));
}
