#include <catch2/catch.hpp>

#include <string>

#include <Poco/Message.h>

#include "app/InertLogFormatter.h"

using namespace okarchive;

TEST_CASE("serve's log lines carry no escape sequence, line break or bidi override from what was logged") {
    InertLogFormatter format("%p %t");
    Poco::Message message("okarchive.serve",
                          "chat:A  FAILED: PARAM : \x1b[2J\x1b]0;pwned\x07\nforged line \xE2\x80\xAE"
                          "cba",
                          Poco::Message::PRIO_ERROR);
    std::string line;
    format.format(message, line);
    CHECK(line == "Error chat:A  FAILED: PARAM : ?[2J?]0;pwned??forged line ?cba");
}
