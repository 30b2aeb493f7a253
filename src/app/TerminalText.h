#pragma once

#include <string>

namespace okarchive {

/// `text` safe to print on a terminal: control characters (which could move the cursor or recolour the screen when
/// a chat title is hostile) become '?'.
inline std::string terminalSafe(std::string text) {
    for (auto& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
    return text;
}

}  // namespace okarchive
