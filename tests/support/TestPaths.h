#pragma once

#include <string>

// Where the tests find their fixtures and the binaries under test. The paths are compiled into TestPaths.cpp alone,
// so no other test file carries an absolute path on its command line: the compiler cache serves every other object
// to any clone of the repository (scripts/setup.sh sets CCACHE_BASEDIR to the clone).

namespace okarchive::test {

std::string fixturesDir();    ///< tests/fixtures of the source tree
std::string seedsDir();       ///< tests/fixtures/seeds (the API pages the decoder is checked against)
std::string okarchiveBin();   ///< the okarchive binary of this build
std::string okapiSimBin();    ///< the okapi-sim binary of this build
std::string clockshiftLib();  ///< the LD_PRELOAD clock shifter of this build

}  // namespace okarchive::test
