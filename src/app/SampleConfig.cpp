#include "app/SampleConfig.h"

#include <algorithm>
#include <fstream>
#include <istream>
#include <regex>
#include <stdexcept>

#include <Poco/String.h>
#include <fmt/format.h>

namespace okarchive {
namespace {

/// The reading position: what the lines so far have said.
struct SampleReader {
    SampleConfig config;
    std::string pendingComment;
    bool pendingParagraph = false;  ///< a blank line since the last comment line
    std::string where;              ///< name:line, for errors
};

void addComment(SampleReader& r, const std::string& text) {
    if (!r.pendingComment.empty()) r.pendingComment += r.pendingParagraph ? "\n\n" : "\n";
    r.pendingComment += text;
    r.pendingParagraph = false;
}

/// Gives the comment lines read since the last key to the preamble (before any section) or the section's note.
void flushComment(SampleReader& r) {
    (r.config.sections.empty() ? r.config.preamble : r.config.sections.back().note) = r.pendingComment;
    r.pendingComment.clear();
}

void startSection(SampleReader& r, const std::string& name) {
    flushComment(r);
    r.config.sections.push_back({name, {}, {}});
}

void addKey(SampleReader& r, const std::string& name, const std::string& value, bool commented) {
    if (r.config.sections.empty()) throw std::runtime_error(r.where + ": key '" + name + "' outside a [section]");
    auto& keys = r.config.sections.back().keys;
    const bool continues = !keys.empty() && keys.back().name == name && r.pendingComment.empty();
    if (!continues) {
        if (std::any_of(keys.begin(), keys.end(), [&](const SampleKey& k) { return k.name == name; }))
            throw std::runtime_error(r.where + ": key '" + name + "' is shown twice in its section");
        keys.push_back({name, {}, commented, r.pendingComment});
    } else if (keys.back().commented != commented) {
        throw std::runtime_error(r.where + ": key '" + name + "' is both set and commented out");
    }
    keys.back().values.push_back(value);
    r.pendingComment.clear();
}

void readLine(SampleReader& r, const std::string& raw) {
    static const std::regex section(R"(\[\s*([A-Za-z0-9_]+)\s*\])");
    static const std::regex key(R"((;?)([A-Za-z0-9_][A-Za-z0-9_.:]*)\s*=\s*(.*))");
    const auto line = Poco::trim(raw);
    std::smatch m;
    if (line.empty() || line == ";") {  // a paragraph break
        r.pendingParagraph = !r.pendingComment.empty();
    } else if (line.rfind("; ", 0) == 0) {
        addComment(r, Poco::trim(line.substr(1)));
    } else if (std::regex_match(line, m, section)) {
        startSection(r, m[1]);
    } else if (std::regex_match(line, m, key)) {
        addKey(r, m[2], Poco::trim(m[3].str()), m[1].length() > 0);
    } else {
        throw std::runtime_error(r.where + ": neither a comment ('; text'), a [section] nor a key = value line");
    }
}

}  // namespace

const SampleKey* SampleConfig::find(const std::string& fullKey) const {
    for (const auto& s : sections)
        for (const auto& k : s.keys)
            if (s.name + "." + k.name == fullKey) return &k;
    return nullptr;
}

SampleConfig parseSampleConfig(std::istream& in, const std::string& name) {
    SampleReader reader;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        reader.where = fmt::format("{}:{}", name, ++number);
        readLine(reader, line);
    }
    flushComment(reader);
    return std::move(reader.config);
}

SampleConfig readSampleConfig(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read the sample settings file " + path);
    return parseSampleConfig(in, path);
}

}  // namespace okarchive
