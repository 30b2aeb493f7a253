#include <catch2/catch.hpp>

#include "app/MediaSummary.h"

using namespace okarchive;

TEST_CASE("formatByteSize: bytes under 1 KiB exactly, larger sizes in IEC units with one decimal") {
    CHECK(formatByteSize(0) == "0 B");
    CHECK(formatByteSize(1023) == "1023 B");
    CHECK(formatByteSize(1024) == "1.0 KiB");
    CHECK(formatByteSize(1536) == "1.5 KiB");
    CHECK(formatByteSize(40055603) == "38.2 MiB");
    CHECK(formatByteSize(1048575) == "1.0 MiB");  // 1023.999 KiB rounds up: never "1024.0 KiB"
    CHECK(formatByteSize(2LL * 1024 * 1024 * 1024) == "2.0 GiB");
    CHECK(formatByteSize(5LL << 50) == "5.0 PiB");
    CHECK(formatByteSize(5000LL << 50) == "5000.0 PiB");
}

TEST_CASE("mediaSentence: saved with its bytes always, every other state only when not zero, in ledger order") {
    MediaTally tally;
    CHECK(mediaSentence(tally) == "no media");
    tally.add({"chat:A", "IMAGE", MediaState::Saved, 400, 40000000});
    tally.add({"chat:B", "VIDEO", MediaState::Saved, 12, 55603});
    tally.add({"chat:A", "IMAGE", MediaState::FailedTransient, 3, 0});
    tally.add({"chat:A", "FILE", MediaState::SkippedPolicy, 2, 500000000});
    tally.add({"chat:A", "AUDIO", MediaState::Expired, 1, 0});
    CHECK(mediaSentence(tally) == "412 saved (38.2 MiB), 2 skipped_policy, 1 expired, 3 failed_transient");
    CHECK(tally.total() == 418);
    CHECK(tally.missing() == 6);

    MediaTally nothingSaved;
    nothingSaved.add({"chat:A", "IMAGE", MediaState::Pending, 7, 0});
    CHECK(mediaSentence(nothingSaved) == "0 saved (0 B), 7 pending");
    CHECK(nothingSaved.missing() == 7);
}

TEST_CASE("tallyMedia: counts add up by chat, by chat and type, by type and over all") {
    const auto tallies = tallyMedia({{"chat:A", "IMAGE", MediaState::Saved, 2, 100},
                                     {"chat:A", "IMAGE", MediaState::Pending, 1, 0},
                                     {"chat:A", "VIDEO", MediaState::Saved, 1, 1000},
                                     {"chat:B", "IMAGE", MediaState::FailedPermanent, 4, 0}});
    CHECK(tallies.total.total() == 8);
    CHECK(tallies.total.bytesIn(MediaState::Saved) == 1100);
    CHECK(tallies.byChat.at("chat:A").total() == 4);
    CHECK(tallies.byChat.at("chat:B").filesIn(MediaState::FailedPermanent) == 4);
    CHECK(tallies.byChatType.at("chat:A").at("IMAGE").total() == 3);
    CHECK(tallies.byChatType.at("chat:A").at("VIDEO").bytesIn(MediaState::Saved) == 1000);
    CHECK(tallies.byType.at("IMAGE").total() == 7);
    CHECK(tallies.byType.at("IMAGE").missing() == 5);
    CHECK(tallies.byChatType.at("chat:B").count("VIDEO") == 0);
}
