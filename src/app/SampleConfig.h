#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace okarchive {

/// One key of the sample settings file (config/okarchive.ini), as set (`key = value`) or shown commented out
/// (`;key = value`: an example, the key is not set), with the comment lines above it.
struct SampleKey {
    std::string name;                 ///< within its section: base_url, interval.chat:C3ecb9d02a600
    std::vector<std::string> values;  ///< the value set, or each example shown (;chats = ... twice: two)
    bool commented = false;           ///< only shown as `;key = ...`, never set
    std::string comment;              ///< the comment lines above it, without "; ", joined by '\n'
};

struct SampleSection {
    std::string name;
    std::vector<SampleKey> keys;
    std::string note;  ///< comment lines after its last key (about the section, not a key)
};

/// The sample settings file read as documentation: its opening comment, then every section and key in order.
struct SampleConfig {
    std::string preamble;
    std::vector<SampleSection> sections;

    /// The key `section.name` (api.base_url), or nullptr.
    const SampleKey* find(const std::string& fullKey) const;
};

/// Reads the sample file. A comment line is "; text", a commented key ";key = value" (no space after ';'); a blank
/// line or a bare ";" breaks a comment into paragraphs ("\n\n"). Throws std::runtime_error naming `name` and the
/// line for a line it cannot read, a key outside a section, a key shown twice, or one both set and commented out.
SampleConfig parseSampleConfig(std::istream& in, const std::string& name);
SampleConfig readSampleConfig(const std::string& path);

}  // namespace okarchive
