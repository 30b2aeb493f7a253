#include <catch2/catch.hpp>

#include "app/RecheckSummary.h"

using namespace okarchive;

TEST_CASE("status says a chat's kept versions, deletions and where its re-check stands") {
    ChatStatus c;
    CHECK(recheckLines(c) ==
          "  changes    0 earlier versions kept (edits), 0 messages marked deleted\n"
          "  re-check   never\n");
    c.revisions = 1;
    c.deletions = 1;
    c.lastRecheckAtMs = 1'700'000'000'000;
    CHECK(recheckLines(c) ==
          "  changes    1 earlier version kept (edits), 1 message marked deleted\n"
          "  re-check   last complete 2023-11-14T22:13:20.000Z\n");
    c.revisions = 30;
    c.deletions = 20;
    c.recheckPending = TimeRange{0, 1'600'000'000'000};
    CHECK(recheckLines(c) ==
          "  changes    30 earlier versions kept (edits), 20 messages marked deleted\n"
          "  re-check   in progress: beginning .. 2020-09-13T12:26:40.000Z left to re-page (last complete "
          "2023-11-14T22:13:20.000Z)\n");
}
