#include "domain/Utf8.h"

namespace okarchive {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

unsigned char byteAt(std::string_view text, std::size_t i) { return static_cast<unsigned char>(text[i]); }

bool isContinuation(std::string_view text, std::size_t i) {
    return i < text.size() && (byteAt(text, i) & 0xC0) == 0x80;
}

/// The length of the valid text at text[i] that is not NUL (0 where a replacement is due).
std::size_t validLength(std::string_view text, std::size_t i) {
    return text[i] == '\0' ? 0 : utf8SequenceLength(text, i);
}

}  // namespace

std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
    const unsigned char c = byteAt(text, i);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return isContinuation(text, i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!isContinuation(text, i + 1) || !isContinuation(text, i + 2)) return 0;
        const unsigned char c1 = byteAt(text, i + 1);
        if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
        if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!isContinuation(text, i + 1) || !isContinuation(text, i + 2) || !isContinuation(text, i + 3)) return 0;
        const unsigned char c1 = byteAt(text, i + 1);
        if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
        if (c == 0xF4 && c1 >= 0x90) return 0;  // past U+10FFFF
        return 4;
    }
    return 0;
}

std::size_t storedSurrogateLength(std::string_view text, std::size_t i) {
    const bool surrogate = byteAt(text, i) == 0xED && i + 1 < text.size() && (byteAt(text, i + 1) & 0xE0) == 0xA0 &&
                           isContinuation(text, i + 2);
    return surrogate ? 3 : 0;
}

bool isValidText(std::string_view text) {
    for (std::size_t i = 0, length = 0; i < text.size(); i += length)
        if ((length = validLength(text, i)) == 0) return false;
    return true;
}

void appendValidText(std::string& out, std::string_view text) {
    std::size_t copied = 0, i = 0;  // text[copied, i) is valid: copied in one piece
    while (i < text.size()) {
        if (const std::size_t length = validLength(text, i)) {
            i += length;
            continue;
        }
        out.append(text.data() + copied, i - copied);
        out += kReplacement;
        const std::size_t surrogate = storedSurrogateLength(text, i);
        i += surrogate ? surrogate : 1;
        copied = i;
    }
    out.append(text.data() + copied, i - copied);
}

std::string validText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    appendValidText(out, text);
    return out;
}

}  // namespace okarchive
