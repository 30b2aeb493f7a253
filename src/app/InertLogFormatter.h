#pragma once

#include <string>

#include <Poco/Message.h>
#include <Poco/Formatter.h>
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

/// The sd-daemon(3) priority prefix of a message: "<2>" critical (and fatal), "<3>" error, "<4>" warning, "<5>"
/// notice, "<6>" information, "<7>" debug (and trace).
inline std::string journalPriorityPrefix(Poco::Message::Priority priority) {
    int level = 6;
    switch (priority) {
        case Poco::Message::PRIO_FATAL:
        case Poco::Message::PRIO_CRITICAL: level = 2; break;
        case Poco::Message::PRIO_ERROR: level = 3; break;
        case Poco::Message::PRIO_WARNING: level = 4; break;
        case Poco::Message::PRIO_NOTICE: level = 5; break;
        case Poco::Message::PRIO_INFORMATION: level = 6; break;
        case Poco::Message::PRIO_DEBUG:
        case Poco::Message::PRIO_TRACE: level = 7; break;
    }
    return "<" + std::to_string(level) + ">";
}

/// A log line for the journal (standard error is journald's stream): the priority prefix and the inert text, no
/// timestamp or priority name of its own (journald records both), so `journalctl -p err` finds the failures.
class JournalLogFormatter : public Poco::Formatter {
public:
    void format(const Poco::Message& message, std::string& text) override {
        text = journalPriorityPrefix(message.getPriority()) + inertText(message.getText());
    }
};

}  // namespace okarchive
