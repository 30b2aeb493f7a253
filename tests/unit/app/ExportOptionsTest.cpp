#include <catch2/catch.hpp>

#include <stdexcept>

#include "app/ExportCommand.h"

using namespace okarchive;

TEST_CASE("a format's options follow export's own, labelled with the format, listed once when two formats share one") {
    const std::vector<OptionSpec> general{{"format", "", "FORMAT", false, "the format"}};
    const auto options = withFormatOptions(general, {{"csv", {"excel", "", "a byte order mark"}},
                                                     {"tsv", {"excel", "", "a byte order mark too"}},
                                                     {"csv", {"delimiter", "C", "the separator"}}});
    REQUIRE(options.size() == 3);
    CHECK(options[0].name == "format");
    CHECK(options[1].name == "excel");
    CHECK(options[1].help == "(csv, tsv) a byte order mark");  // the first help, naming every format taking it
    CHECK(options[2].name == "delimiter");
    CHECK(options[2].argument == "C");
}

TEST_CASE("a format's option named like a general option of export is a programming error, not silently dropped") {
    const std::vector<OptionSpec> general{{"format", "", "FORMAT", false, "the format"},
                                          {"output", "o", "PATH", false, "where"}};
    CHECK_THROWS_AS(withFormatOptions(general, {{"csv", {"output", "PATH", "a csv-only output"}}}), std::logic_error);
    CHECK_THROWS_WITH(withFormatOptions(general, {{"csv", {"output", "PATH", "a csv-only output"}}}),
                      Catch::Contains("--output") && Catch::Contains("csv"));
}

TEST_CASE("export's real option list holds each format option once and no name twice") {
    const auto& options = exportCommand().options;
    for (std::size_t i = 0; i < options.size(); ++i)
        for (std::size_t j = i + 1; j < options.size(); ++j) CHECK(options[i].name != options[j].name);
    CHECK(exportCommand().option("excel") != nullptr);
    REQUIRE(exportCommand().option("verbatim") != nullptr);
    CHECK(exportCommand().option("verbatim")->help.rfind("(ndjson, json) ", 0) == 0);
}
