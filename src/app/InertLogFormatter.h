#pragma once

#include <string>

#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>

#include "domain/InertText.h"

namespace okarchive {

/// Poco's PatternFormatter over an inert copy of each message's text (inertText): whoever logs a title, an id or an
/// API error_msg, no log line carries a control character, an escape sequence or a bidi override from it.
class InertLogFormatter : public Poco::PatternFormatter {
public:
    using Poco::PatternFormatter::PatternFormatter;

    void format(const Poco::Message& message, std::string& text) override {
        Poco::Message inert(message);
        inert.setText(inertText(message.getText()));
        Poco::PatternFormatter::format(inert, text);
    }
};

}  // namespace okarchive
