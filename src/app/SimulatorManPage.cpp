#include <ostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "app/Commands.h"
#include "app/ManPage.h"
#include "app/Roff.h"

namespace okarchive {
namespace {

/// The simulator's --help text in parts: the usage line's arguments, paragraphs, options, the exit status.
struct UsageParts {
    std::string arguments;                ///< "[options]"
    std::vector<std::string> paragraphs;  ///< every paragraph that is neither an option nor the exit status
    std::vector<OptionSpec> options;
    std::string exitStatus;  ///< after "Exit status: "
};

constexpr const char* kExitPrefix = "Exit status: ";

/// "  --name=ARG   help" (or its continuation, indented further) into the options.
void readOptionLine(UsageParts& parts, const std::string& line) {
    const auto text = line.substr(line.find_first_not_of(' '));
    if (line.rfind("  -", 0) != 0) {  // a continuation of the last option's help
        auto& help = parts.options.back().help;
        help += (help.empty() ? "" : " ") + text;
        return;
    }
    const auto gap = text.find("  ");
    const auto tag = text.substr(0, gap);
    const auto dashes = tag.find_first_not_of('-'), eq = tag.find('=');
    OptionSpec option{tag.substr(dashes, eq == std::string::npos ? std::string::npos : eq - dashes), "",
                      eq == std::string::npos ? "" : tag.substr(eq + 1), false, ""};
    if (dashes == 1) std::swap(option.name, option.shortName);
    if (gap != std::string::npos) option.help = text.substr(text.find_first_not_of(' ', gap));
    parts.options.push_back(option);
}

void addParagraph(UsageParts& parts, std::string& paragraph) {
    if (!paragraph.empty()) parts.paragraphs.push_back(paragraph);
    paragraph.clear();
}

UsageParts readUsage(const std::string& usage) {
    UsageParts parts;
    std::istringstream in(usage);
    std::string line, paragraph;
    std::getline(in, line);
    parts.arguments = line.substr(line.find(' ', line.find(' ') + 1) + 1);  // after "usage: okapi-sim "
    while (std::getline(in, line)) {
        if (line.rfind("  ", 0) == 0) {
            readOptionLine(parts, line);
        } else if (line.rfind(kExitPrefix, 0) == 0) {
            parts.exitStatus = line.substr(std::string_view(kExitPrefix).size());
        } else if (line.empty()) {
            addParagraph(parts, paragraph);
        } else {
            paragraph += (paragraph.empty() ? "" : "\n") + line;
        }
    }
    addParagraph(parts, paragraph);
    return parts;
}

/// "An OK (Odnoklassniki) Graph Bot API simulator. The server..." as "an OK (Odnoklassniki) Graph Bot API simulator".
std::string firstSentence(const std::string& paragraph) {
    auto sentence = paragraph.substr(0, paragraph.find(". "));
    if (!sentence.empty() && sentence.back() == '.') sentence.pop_back();
    if (!sentence.empty() && sentence[0] >= 'A' && sentence[0] <= 'Z')
        sentence[0] = static_cast<char>(sentence[0] + 32);
    return sentence;
}

}  // namespace

void writeSimulatorPage(std::ostream& out, const std::string& usage, const std::string& program,
                        const ManPageFacts& facts) {
    const auto parts = readUsage(usage);
    std::string upper;
    for (char c : program) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    out << roffHeader(upper, 1, facts.version, "the simulator's --help text (src/sim/CommandLine.cpp)") << ".SH NAME\n"
        << roffLiteral(program) << " \\- "
        << roffText(parts.paragraphs.empty() ? "" : firstSentence(parts.paragraphs.front())) << "\n"
        << ".SH SYNOPSIS\n\\fB" << roffLiteral(program) << "\\fR " << roffLiteral(parts.arguments) << "\n"
        << ".SH DESCRIPTION\n";
    for (const auto& paragraph : parts.paragraphs) out << roffText(paragraph) << "\n.PP\n";
    out << roffText(
               "It lets okarchive be tried, and tested, without a token: point api.base_url at it "
               "(http:// is accepted for loopback only) and use its --token as the access token. Its messages "
               "name it okapi-sim, its name in the build tree.")
        << "\n.SH OPTIONS\n";
    for (const auto& option : parts.options)
        out << ".TP\n" << roffOptionTag(option) << "\n" << roffText(option.help) << "\n";
    if (!parts.exitStatus.empty()) out << ".SH EXIT STATUS\n" << roffText(parts.exitStatus) << "\n";
    out << ".SH SEE ALSO\n\\fBokarchive\\fR(1)\n";
}

}  // namespace okarchive
