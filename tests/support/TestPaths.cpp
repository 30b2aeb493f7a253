#include "support/TestPaths.h"

namespace okarchive::test {

std::string fixturesDir() { return OKARCHIVE_FIXTURES; }
std::string seedsDir() { return OKARCHIVE_FIXTURES "/seeds"; }
std::string okarchiveBin() { return OKARCHIVE_BIN; }
std::string okapiSimBin() { return OKAPI_SIM_BIN; }
std::string clockshiftLib() { return OKARCHIVE_CLOCKSHIFT_LIB; }

}  // namespace okarchive::test
