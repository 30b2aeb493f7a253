#pragma once

#include <fstream>
#include <ostream>
#include <string>

namespace okarchive {

/// An output that appears whole or not at all: written to a temporary file beside the target, then flushed,
/// fsync'ed and renamed over it by commit(). Destroyed without commit(), it removes the temporary file.
/// The path "-" means standard output (no atomicity there).
class AtomicOutputFile {
public:
    explicit AtomicOutputFile(std::string path);  ///< throws Error naming the path if it cannot be created
    ~AtomicOutputFile();
    AtomicOutputFile(const AtomicOutputFile&) = delete;
    AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

    std::ostream& stream();
    void commit();  ///< throws Error naming the path on any write, sync or rename failure
    const std::string& path() const { return _path; }

private:
    std::string _path;
    std::string _tempPath;
    std::ofstream _file;
    bool _committed = false;
};

}  // namespace okarchive
