#pragma once

#include <cstddef>
#include <string>

namespace okarchive {

/// Where the files of an export go. Unpartitioned: the one file at PATH. Partitioned: STEM.part-0001.EXT,
/// STEM.part-0002.EXT, ... beside PATH (STEM and EXT taken from PATH; more than 9999 parts get more digits).
class PartNaming {
public:
    PartNaming(std::string path, bool partitioned);

    std::string path(std::size_t number) const;      ///< the full path of part `number` (1-based)
    std::string fileName(std::size_t number) const;  ///< just its file name, for links between parts
    bool partitioned() const { return _partitioned; }
    const std::string& basePath() const { return _path; }

private:
    std::string _path;
    std::string _directory;  // with a trailing '/', or empty
    std::string _stem;
    std::string _extension;  // with its dot, or empty
    bool _partitioned;
};

}  // namespace okarchive
