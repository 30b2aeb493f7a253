#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <string>

#include "domain/Utf8.h"
#include "exporters/MediaFileName.h"
#include "unit/exporters/ExportTestSupport.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

Message withAttachment(std::string mid, std::string type, std::string payload) {
    Message m = textMessage(std::move(mid), 1498581292941, 1, "user:1", "Ivan", std::nullopt);  // 2017-06-27 UTC
    m.attachments.emplace_back(std::move(type), std::move(payload));
    return m;
}

bool safeComponent(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name.find('\0') == std::string::npos &&
           name.front() != '.' && isValidText(name);
}

}  // namespace

TEST_CASE("Media file names: hostile names become one safe component") {
    CHECK(sanitizedFileName("report.pdf") == "report.pdf");
    CHECK(sanitizedFileName("Отчёт за июнь.pdf") == "Отчёт за июнь.pdf");
    CHECK(sanitizedFileName("../../x") == "_.._x");
    CHECK(sanitizedFileName("/etc/passwd") == "_etc_passwd");
    CHECK(sanitizedFileName(std::string("a\0b.txt", 7)) == "a_b.txt");
    CHECK(sanitizedFileName("a\u202Egnp.exe") == "a_gnp.exe");       // RIGHT-TO-LEFT OVERRIDE: "aexe.png" on screen
    CHECK(sanitizedFileName("x\u2066y\u200Fz.doc") == "x_y_z.doc");  // isolates and marks too
    CHECK(sanitizedFileName("tab\there\r\n.txt") == "tab_here__.txt");
    CHECK(sanitizedFileName("a\xC2\x85"
                            "b") == "a_b");  // C1 NEXT LINE
    CHECK(sanitizedFileName("bad\xFF\xFEutf8") == "bad__utf8");
    CHECK(sanitizedFileName("con:aux|x?.txt") == "con_aux_x_.txt");
    CHECK(sanitizedFileName(".hidden") == "hidden");
    CHECK(sanitizedFileName("...") == "");
    CHECK(sanitizedFileName("trailing. ") == "trailing");
    for (const std::string hostile : {"../../x", "..", ".", "/", "\\..\\..\\x", "a/../../b"}) {
        const auto name = sanitizedFileName(hostile);
        CHECK((name.empty() || safeComponent(name)));
        CHECK(name.find("/") == std::string::npos);
    }
}

TEST_CASE("Media file names: a long name is cut to the byte budget at a character boundary, keeping its extension") {
    std::string cyrillic;
    while (cyrillic.size() < 300) cyrillic += "я";  // 2 bytes each
    const auto cut = sanitizedFileName(cyrillic + ".pdf");
    CHECK(cut.size() <= kMediaNameBudget);
    CHECK(cut.size() >= kMediaNameBudget - 1);
    CHECK(isValidText(cut));
    CHECK(cut.substr(cut.size() - 4) == ".pdf");
    std::string emoji;
    while (emoji.size() < 300) emoji += "\xF0\x9F\x98\x80";  // 4 bytes each
    for (std::size_t budget : {10u, 11u, 12u, 13u, 50u}) {
        const auto name = sanitizedFileName(emoji, budget);
        CHECK(name.size() <= budget);
        CHECK(name.size() % 4 == 0);  // whole characters only
        CHECK(isValidText(name));
    }
    std::string euro;  // 3 bytes each, with no extension
    while (euro.size() < 300) euro += "€";
    CHECK(sanitizedFileName(euro).size() == 99);
}

TEST_CASE("Media file names: YYYY-MM/<mid>_<n>_<name>, or the MIME's extension without a name") {
    const auto file =
        withAttachment("mid:C3ecb9d02a600.15cea67d78d2059", "FILE", R"({"url":"https://x/f","name":"report.pdf"})");
    CHECK(exportedMediaName(file, 0, "application/pdf") == "2017-06/C3ecb9d02a600.15cea67d78d2059_0_report.pdf");
    const auto image = withAttachment("mid:C3ecb9d02a600.15cea67d78d2059", "IMAGE", R"({"url":"https://x/i"})");
    CHECK(exportedMediaName(image, 0, "image/png") == "2017-06/C3ecb9d02a600.15cea67d78d2059_0.png");
    CHECK(exportedMediaName(image, 0, "") == "2017-06/C3ecb9d02a600.15cea67d78d2059_0.bin");
    const auto noExtension = withAttachment("mid:a", "FILE", R"({"name":"README"})");
    CHECK(exportedMediaName(noExtension, 0, "text/plain") == "2017-06/a_0_README.txt");
    SECTION("a name a browser would run gets the content's extension") {
        const auto page = withAttachment("mid:a", "FILE", R"({"name":"invoice.html"})");
        CHECK(exportedMediaName(page, 0, "text/html") == "2017-06/a_0_invoice.html.txt");
        CHECK(exportedMediaName(page, 0, "image/png") == "2017-06/a_0_invoice.html.png");
        for (const char* extension : {"xht", "XHTM", "shtm", "xslt", "hta"}) {  // XHTML and friends run scripts too
            const auto other = withAttachment("mid:a", "FILE", fmt::format(R"({{"name":"invoice.{}"}})", extension));
            CHECK(exportedMediaName(other, 0, "text/html") == fmt::format("2017-06/a_0_invoice.{}.txt", extension));
        }
    }
    SECTION("a hostile mid or name never leaves the folder and two mids never share a name") {
        const auto hostile = withAttachment("mid:../../etc/x", "FILE", R"({"name":"../../etc/passwd"})");
        const auto name = exportedMediaName(hostile, 3, "text/plain");
        CHECK(name.find("..") != std::string::npos);  // dots stay, but inside one component
        CHECK(std::count(name.begin(), name.end(), '/') == 1);
        CHECK(name.substr(0, 8) == "2017-06/");
        CHECK(name[8] != '.');
        const auto other = withAttachment("mid:.._.._etc_x", "FILE", R"({"name":"../../etc/passwd"})");
        CHECK(exportedMediaName(other, 3, "text/plain") != name);
        const auto longMid = withAttachment("mid:" + std::string(300, 'a'), "IMAGE", "{}");
        CHECK(exportedMediaName(longMid, 0, "image/png").size() < 100);
    }
}
