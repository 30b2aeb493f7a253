#include <catch2/catch.hpp>

#include "ExportTestSupport.h"
#include "GoldenFixture.h"
#include "domain/Errors.h"
#include "exporters/ExportFormats.h"
#include "exporters/ExportJob.h"

using namespace okarchive;
using namespace okarchive::test;

TEST_CASE("The registry lists the built-in formats in order, each with its extension") {
    std::vector<std::string> names, extensions;
    for (const ExportFormat* format : exportFormats()) {
        names.emplace_back(format->name());
        extensions.emplace_back(format->extension());
        REQUIRE(findExportFormat(format->name()) == format);
        REQUIRE(&exportFormat(format->name()) == format);
    }
    REQUIRE(names == std::vector<std::string>{"ndjson", "json", "csv", "html", "telegram-json", "txt"});
    REQUIRE(extensions == std::vector<std::string>{"ndjson", "json", "csv", "html", "telegram.json", "txt"});
    REQUIRE(exportFormatNames() == "ndjson, json, csv, html, telegram-json or txt");
}

TEST_CASE("An unknown format is a usage error naming it and listing the formats") {
    REQUIRE(findExportFormat("xml") == nullptr);
    REQUIRE(findExportFormat("") == nullptr);
    REQUIRE_THROWS_AS(exportFormat("xml"), UsageError);
    REQUIRE_THROWS_WITH(exportFormat("XML"),
                        Catch::Contains("\"XML\"") && Catch::Contains("ndjson, json, csv, html, telegram-json or txt"));
}

TEST_CASE("Format names are matched ignoring ASCII case, as --locale is") {
    REQUIRE(findExportFormat("TXT") == &exportFormat("txt"));
    REQUIRE(findExportFormat("NDJSON") == &exportFormat("ndjson"));
    REQUIRE(findExportFormat("Telegram-JSON") == &exportFormat("telegram-json"));
    REQUIRE(exportFormat("Html").name() == "html");  // the canonical name, whatever the spelling asked
    REQUIRE(findExportFormat("txt ") == nullptr);
    REQUIRE(findExportFormat("tхt") == nullptr);  // a Cyrillic х is not an x
}

TEST_CASE("The format options are CSV's two flags and the verbatim flag of NDJSON and JSON, each with its help") {
    std::vector<std::string> declared;
    for (const auto& entry : exportFormatOptions()) {
        if (entry.format == "csv" || entry.format == "ndjson" || entry.format == "json")
            declared.push_back(entry.format + " " + entry.option.name);
        REQUIRE(entry.option.argument.empty());  // flags
        REQUIRE_FALSE(entry.option.help.empty());
    }
    REQUIRE(declared == std::vector<std::string>{"ndjson verbatim", "json verbatim", "csv excel", "csv raw-csv"});
    REQUIRE(exportFormat("csv").hasOption("excel"));
    REQUIRE_FALSE(exportFormat("json").hasOption("excel"));
    REQUIRE_FALSE(exportFormat("csv").hasOption("verbatim"));
    REQUIRE_THROWS_WITH(exportFormat("csv").validate({{"verbatim", ""}}),
                        Catch::Contains("--verbatim applies to --format=ndjson or --format=json only"));
}

TEST_CASE("A format refuses options that are not its own, naming the option and the format that takes it") {
    REQUIRE_NOTHROW(exportFormat("csv").validate({{"excel", ""}, {"raw-csv", ""}}));
    REQUIRE_NOTHROW(exportFormat("json").validate({}));
    REQUIRE_THROWS_WITH(exportFormat("json").validate({{"excel", ""}}), Catch::Contains("--excel") &&
                                                                            Catch::Contains("--format=csv") &&
                                                                            Catch::Contains("not --format=json"));
    REQUIRE_THROWS_WITH(exportFormat("csv").validate({{"bogus", ""}}), Catch::Contains("--bogus"));
    REQUIRE_THROWS_WITH(exportFormat("csv").validate({{"excel", "yes"}}), Catch::Contains("--excel takes no value"));
    REQUIRE_THROWS_AS(exportFormat("html").validate({{"raw-csv", ""}}), UsageError);
}

TEST_CASE("An export with another format's option fails before creating any file") {
    const auto messages = goldenMessages();
    TempDir dir;
    auto request = requestFor(messages, "ndjson", dir.file("chat.ndjson"));
    request.formatOptions["raw-csv"] = "";
    REQUIRE_THROWS_WITH(runExport(request), Catch::Contains("--raw-csv") && Catch::Contains("--format=csv"));
    REQUIRE(dir.entries().empty());
}

TEST_CASE("CSV's raw-csv option reaches the exporter: no guard before a formula") {
    auto messages = goldenMessages();
    messages.resize(1);
    messages[0].text = "=1+1";
    TempDir dir;
    auto guarded = requestFor(messages, "csv", dir.file("guarded.csv"));
    runExport(guarded);
    auto raw = requestFor(messages, "csv", dir.file("raw.csv"));
    raw.formatOptions["raw-csv"] = "";
    runExport(raw);
    REQUIRE(readFile(dir.file("guarded.csv")).find(",'=1+1,") != std::string::npos);
    REQUIRE(readFile(dir.file("raw.csv")).find(",=1+1,") != std::string::npos);
}

TEST_CASE("Only HTML splits into default parts when no partition was asked") {
    for (const ExportFormat* format : exportFormats())
        REQUIRE(format->defaultMessagesPerPart() == (format->name() == "html" ? 5000u : 0u));
}
