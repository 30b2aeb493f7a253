#include <ostream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/ConfigLocation.h"
#include "app/ManPage.h"
#include "app/Roff.h"
#include "app/Settings.h"

namespace okarchive {
namespace {

/// A comment's text as roff: its blank-line paragraphs as `paragraph` requests (.PP at top level, .IP in a key's).
std::string roffParagraphs(const std::string& comment, const char* paragraph) {
    std::string out;
    std::size_t start = 0;
    for (auto gap = comment.find("\n\n"); gap != std::string::npos; gap = comment.find("\n\n", start)) {
        out += roffText(comment.substr(start, gap - start)) + "\n" + paragraph + "\n";
        start = gap + 2;
    }
    return out + roffText(comment.substr(start)) + "\n";
}

const SettingKey* knownSetting(const std::string& fullKey) {
    for (const auto& s : knownSettings())
        if (fullKey == s.key) return &s;
    return nullptr;
}

/// What a key's entry ends with: its default (known keys), its examples, its environment variable (keys without ':').
std::string keyFacts(const std::string& fullKey, const SampleKey& key) {
    std::vector<std::string> facts;
    if (const auto* known = knownSetting(fullKey))
        facts.push_back(*known->defaultValue ? fmt::format("Default: {}.", known->defaultValue) : "Default: none.");
    if (key.commented)
        for (const auto& value : key.values)
            if (!value.empty()) facts.push_back(fmt::format("Example: `{} = {}`.", key.name, value));
    if (fullKey.find(':') == std::string::npos)
        facts.push_back(fmt::format("Environment: {}.", environmentNameFor(fullKey)));
    return fmt::format("{}", fmt::join(facts, " "));
}

void writeKey(std::ostream& out, const SampleSection& section, const SampleKey& key) {
    const auto fullKey = section.name + "." + key.name;
    out << ".TP\n\\fB" << roffLiteral(key.name) << "\\fR";
    if (!key.commented) out << " = \\fI" << roffLiteral(key.values.front()) << "\\fR";
    out << "\n";
    if (!key.comment.empty()) out << roffParagraphs(key.comment, ".IP") << ".IP\n";
    out << roffText(keyFacts(fullKey, key)) << "\n";
}

void writeSections(std::ostream& out, const SampleConfig& sample) {
    for (const auto& section : sample.sections) {
        out << ".SS [" << roffLiteral(section.name) << "]\n";
        for (const auto& key : section.keys) writeKey(out, section, key);
        if (!section.note.empty()) out << ".PP\n" << roffParagraphs(section.note, ".PP");
    }
}

}  // namespace

void writeSettingsPage(std::ostream& out, const SampleConfig& sample, const ManPageFacts& facts) {
    out << roffHeader("OKARCHIVE.INI", 5, facts.version, "config/okarchive.ini and the known settings (src/app)")
        << ".SH NAME\nokarchive.ini \\- settings file of okarchive\n"
        << ".SH SYNOPSIS\n\\fI~/.config/okarchive/okarchive.ini\\fR\n.br\n\\fI" << roffLiteral(systemConfigFile())
        << "\\fR\n.br\n\\fBokarchive \\-\\-config\\fR=\\fIFILE\\fR\n"
        << ".SH DESCRIPTION\n"
        << roffParagraphs(sample.preamble, ".PP") << ".PP\n"
        << roffText(
               "The file has [section] lines, key = value lines and comment lines starting with ';'. A key "
               "is called section.key elsewhere: --define=api.timeout_ms=10000, or the environment variable "
               "OKARCHIVE_API_TIMEOUT_MS. Every key is listed below with its default; a key shown as "
               "`;key = value` in the sample is unset there.")
        << "\n.SH SETTINGS\n";
    writeSections(out, sample);
    out << ".SH FILES\n.TP\n\\fI" << roffLiteral(systemConfigFile()) << "\\fR\n"
        << roffText("The system's file. The package installs it with archive.database = " + facts.stateDirectory +
                    "/okarchive.db and api.access_token_file = " + packagedTokenFile() + ".")
        << "\n.SH SEE ALSO\n\\fBokarchive\\fR(1)\n";
}

}  // namespace okarchive
