#pragma once

#include <string>
#include <string_view>

#include "app/Commands.h"

namespace okarchive {

/// `text` as roff input text (man(7)): backslashes escaped, a '-' that starts a word or follows one as \- (an
/// option's minus sign, not a hyphen), `quoted` words bold, every non-ASCII character as \[uXXXX] (groff reads
/// ASCII only without preconv), and a line starting with '.' or '\'' guarded by \&. Keeps line breaks.
std::string roffText(std::string_view text);
/// roffText for a literal (an option, a path, a value): every '-' is a minus sign, so it copies as typed.
std::string roffLiteral(std::string_view text);

/// An option as a tagged paragraph's tag: \fB\-\-name\fR=\fIARG\fR, with its short form first (-o, --output).
std::string roffOptionTag(const OptionSpec& option);

/// A man page's header: the comment naming its source, then .TH (no date: the version is the build's only stamp,
/// so the page is reproducible).
std::string roffHeader(std::string_view title, int section, std::string_view version, std::string_view source);

}  // namespace okarchive
