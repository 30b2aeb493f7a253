#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <Poco/Message.h>

#include "app/InertLogFormatter.h"
#include "app/ServeLogging.h"
#include "domain/Errors.h"

using namespace okarchive;

namespace {

std::string journalLine(const std::string& text, Poco::Message::Priority priority) {
    JournalLogFormatter format;
    std::string line;
    format.format(Poco::Message("okarchive.serve", text, priority), line);
    return line;
}

std::string devIno(int fd) {
    struct stat st {};
    REQUIRE(::fstat(fd, &st) == 0);
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

}  // namespace

TEST_CASE("journal lines carry the sd-daemon priority prefix and no timestamp or priority name of their own") {
    CHECK(journalLine("chat:A  FAILED after 0.1 s: x", Poco::Message::PRIO_ERROR) ==
          "<3>chat:A  FAILED after 0.1 s: x");
    CHECK(journalLine("w", Poco::Message::PRIO_WARNING) == "<4>w");
    CHECK(journalLine("n", Poco::Message::PRIO_NOTICE) == "<5>n");
    CHECK(journalLine("chat:A  ok  1 new", Poco::Message::PRIO_INFORMATION) == "<6>chat:A  ok  1 new");
    CHECK(journalLine("d", Poco::Message::PRIO_DEBUG) == "<7>d");
    CHECK(journalLine("ACCESS TOKEN REFUSED", Poco::Message::PRIO_CRITICAL) == "<2>ACCESS TOKEN REFUSED");
    CHECK(journalLine("f", Poco::Message::PRIO_FATAL) == "<2>f");
}

TEST_CASE("a journal line stays one line: a line break or escape in what was logged cannot forge a priority") {
    CHECK(journalLine("chat:A  FAILED: x\n<6>forged ok\r\x1b[2J", Poco::Message::PRIO_ERROR) ==
          "<3>chat:A  FAILED: x?<6>forged ok??[2J");
}

TEST_CASE("standard error is the journal only when JOURNAL_STREAM names that very file") {
    int fds[2], other[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::pipe(other) == 0);
    CHECK(isJournalStream(devIno(fds[1]).c_str(), fds[1]));
    CHECK_FALSE(isJournalStream(devIno(other[1]).c_str(), fds[1]));  // an inherited variable, another stream
    CHECK_FALSE(isJournalStream(nullptr, fds[1]));
    CHECK_FALSE(isJournalStream("", fds[1]));
    CHECK_FALSE(isJournalStream("12", fds[1]));
    CHECK_FALSE(isJournalStream("a:b", fds[1]));
    for (int fd : {fds[0], fds[1], other[0], other[1]}) ::close(fd);
}

TEST_CASE("logging.level takes error, warning, notice, info or information, debug - anything else names the key") {
    CHECK(parseLogLevel("error") == Poco::Message::PRIO_ERROR);
    CHECK(parseLogLevel("warning") == Poco::Message::PRIO_WARNING);
    CHECK(parseLogLevel("notice") == Poco::Message::PRIO_NOTICE);
    CHECK(parseLogLevel("info") == Poco::Message::PRIO_INFORMATION);
    CHECK(parseLogLevel("Information") == Poco::Message::PRIO_INFORMATION);
    CHECK(parseLogLevel(" DEBUG ") == Poco::Message::PRIO_DEBUG);
    CHECK_THROWS_AS(parseLogLevel("verbose"), UsageError);
    CHECK_THROWS_WITH(parseLogLevel("verbose"), Catch::Contains("logging.level = 'verbose'"));
    CHECK_THROWS_AS(parseLogLevel(""), UsageError);
}
