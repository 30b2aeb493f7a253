#pragma once

#include <cstddef>
#include <string>

namespace okarchive {

/// Where the files of an export go. Unpartitioned: the one file at PATH. Partitioned: STEM.part-0001.EXT,
/// STEM.part-0002.EXT, ... (STEM and EXT taken from PATH; more than 9999 parts get more digits) inside the export's
/// generation directory ".NAME.parts-<generation>" beside PATH, which then holds the index or manifest.
class PartNaming {
public:
    PartNaming(std::string path, bool partitioned);

    std::string path(std::size_t number) const;       ///< the full path of part `number` (1-based)
    std::string fileName(std::size_t number) const;   ///< just its file name, for links between parts
    std::string indexLink(std::size_t number) const;  ///< its path relative to PATH's directory (the index's links)
    bool partitioned() const { return _partitioned; }
    const std::string& basePath() const { return _path; }

    /// The generation directory's name (set once the directory exists) and its full path.
    void setGenerationDirectory(std::string name) { _generation = std::move(name); }
    const std::string& generationDirectory() const { return _generation; }
    std::string generationPath() const { return _directory + _generation; }

private:
    std::string _path;
    std::string _directory;  // with a trailing '/', or empty
    std::string _stem;
    std::string _extension;  // with its dot, or empty
    std::string _generation;
    bool _partitioned;
};

}  // namespace okarchive
