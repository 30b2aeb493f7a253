#include "exporters/PartNaming.h"

#include <filesystem>

#include <fmt/format.h>

namespace okarchive {

PartNaming::PartNaming(std::string path, bool partitioned) : _path(std::move(path)), _partitioned(partitioned) {
    std::filesystem::path p(_path);
    _directory = p.parent_path().string();
    if (!_directory.empty()) _directory += '/';
    _stem = p.stem().string();
    _extension = p.extension().string();
}

std::string PartNaming::fileName(std::size_t number) const {
    if (!_partitioned) return std::filesystem::path(_path).filename().string();
    return fmt::format("{}.part-{:04}{}", _stem, number, _extension);
}

std::string PartNaming::indexLink(std::size_t number) const {
    if (!_partitioned || _generation.empty()) return fileName(number);
    return _generation + "/" + fileName(number);
}

std::string PartNaming::path(std::size_t number) const {
    if (!_partitioned) return _path;
    return _directory + indexLink(number);
}

}  // namespace okarchive
