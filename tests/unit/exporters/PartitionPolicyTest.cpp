#include <catch2/catch.hpp>

#include "domain/Errors.h"
#include "exporters/PartNaming.h"
#include "exporters/PartitionPolicy.h"

using namespace okarchive;

TEST_CASE("Partition values parse as message counts or binary sizes") {
    REQUIRE(PartitionPolicy::parse("5000") == PartitionPolicy::messages(5000));
    REQUIRE(PartitionPolicy::parse("1") == PartitionPolicy::messages(1));
    REQUIRE(PartitionPolicy::parse("20mb") == PartitionPolicy::bytes(20ull << 20));
    REQUIRE(PartitionPolicy::parse("20MB") == PartitionPolicy::bytes(20ull << 20));
    REQUIRE(PartitionPolicy::parse("512kb") == PartitionPolicy::bytes(512ull << 10));
    REQUIRE(PartitionPolicy::parse("512k") == PartitionPolicy::bytes(512ull << 10));
    REQUIRE(PartitionPolicy::parse("1gb") == PartitionPolicy::bytes(1ull << 30));
    REQUIRE(PartitionPolicy::parse("4096b") == PartitionPolicy::bytes(4096));
    REQUIRE(PartitionPolicy::parse("") == PartitionPolicy::none());
    REQUIRE(PartitionPolicy::parse("none") == PartitionPolicy::none());
    REQUIRE(PartitionPolicy::parse("NONE") == PartitionPolicy::none());
    REQUIRE(PartitionPolicy::parse("0") == PartitionPolicy::none());  // no limit: one file, not refused
    REQUIRE(PartitionPolicy::parse("0mb") == PartitionPolicy::none());
}

TEST_CASE("Bad partition values are usage errors naming the value") {
    for (const std::string bad : {"-5", "mb", "5 mb", "5tb", "1.5mb", "abc", "99999999999999999999", "99999999999gb"}) {
        INFO(bad);
        REQUIRE_THROWS_AS(PartitionPolicy::parse(bad), UsageError);
        REQUIRE_THROWS_WITH(PartitionPolicy::parse(bad), Catch::Contains("\"" + bad + "\""));
    }
}

TEST_CASE("Part files are named STEM.part-NNNN.EXT in the generation directory beside the output path") {
    PartNaming parts("out/dir/chat.html", true);
    REQUIRE(parts.path(1) == "out/dir/chat.part-0001.html");  // before the generation directory is known
    parts.setGenerationDirectory(".chat.html.parts-0123456789abcdef");
    REQUIRE(parts.path(1) == "out/dir/.chat.html.parts-0123456789abcdef/chat.part-0001.html");
    REQUIRE(parts.indexLink(2) == ".chat.html.parts-0123456789abcdef/chat.part-0002.html");
    REQUIRE(parts.generationPath() == "out/dir/.chat.html.parts-0123456789abcdef");
    REQUIRE(parts.fileName(12) == "chat.part-0012.html");
    REQUIRE(parts.fileName(12345) == "chat.part-12345.html");
    REQUIRE(PartNaming("chat", true).path(2) == "chat.part-0002");
    REQUIRE(PartNaming("a.b.csv", true).path(3) == "a.b.part-0003.csv");
    PartNaming single("out/chat.html", false);
    REQUIRE(single.path(1) == "out/chat.html");
    REQUIRE(single.fileName(1) == "chat.html");
}
