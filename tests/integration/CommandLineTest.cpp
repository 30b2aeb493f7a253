#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include "integration/Harness.h"
#include "support/TestPaths.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// The option names a usage text lists at the start of its lines ("--name=ARG  help" or "-oPATH, --name=ARG").
bool listsOption(const std::string& usage, const std::string& option) {
    for (const auto& before : {"\n", ", "})
        for (const auto& after : {"=", " "})
            if (has(usage, before + option + after)) return true;
    return false;
}

}  // namespace

TEST_CASE("an option of another command exits 2 naming the option and the command") {
    auto r = runOkarchive({"status", "--excel"});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(has(r.err, "--excel"));
    CHECK(has(r.err, "'status'"));
    CHECK(has(r.err, "okarchive help status"));
    CHECK(r.out.empty());

    // Before the command name as after it (the option parser reads the whole command line).
    r = runOkarchive({"--partition=5", "status"});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(has(r.err, "--partition"));
    CHECK(has(r.err, "'status'"));

    r = runOkarchive({"summary", "--chat=" + kChat, "--chat=chat:Cother", "--period=day"});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(has(r.err, "--chat is given more than once"));
}

TEST_CASE("pidfile and umask are serve's options only: another command exits 2 and writes no pid file") {
    TempDir dir;
    const auto pidFile = dir.file("x.pid");
    for (const auto& command : {"status", "chats", "report"}) {
        for (const auto& option : {"--pidfile=" + pidFile, std::string("--umask=077")}) {
            const auto r = runOkarchive({command, option});
            INFO(command << " " << option << "\n" << r.err);
            CHECK(r.exitCode == 2);
            CHECK(has(r.err, option.substr(0, option.find('='))));
            CHECK(has(r.err, std::string("'") + command + "'"));
            CHECK(has(r.err, "applies to serve only"));
            CHECK(r.out.empty());
        }
    }
    CHECK_FALSE(std::filesystem::exists(pidFile));
    const auto daemon = runOkarchive({"status", "--daemon"});
    CHECK(daemon.exitCode == 2);
    CHECK(has(daemon.err, "--daemon"));
    const auto badMask = runOkarchive({"serve", "--umask=9x"});
    INFO(badMask.err);
    CHECK(badMask.exitCode == 2);
    CHECK(has(badMask.err, "--umask"));
}

TEST_CASE("export --dry-run is refused and exports nothing") {
    TempDir dir;
    SimProcess sim({"--seed=41", "--chat=" + kChat + "=50"});
    const auto db = dir.file("c.db");
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    const auto out = dir.file("out.ndjson");
    auto r = runOkarchive(
        with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + out, "--dry-run"}));
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(has(r.err, "--dry-run"));
    CHECK(has(r.err, "'export'"));
    CHECK_FALSE(std::filesystem::exists(out));

    // The same command line without the stranger exports.
    r = runOkarchive(with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + out}));
    INFO(r.err);
    CHECK(r.exitCode == 0);
    CHECK(std::filesystem::exists(out));
}

TEST_CASE("options of the command work before its name too") {
    TempDir dir;
    // Accepted by summary (so not exit 2): it gets as far as the missing archive, which it names (exit 1).
    auto r = runOkarchive(
        {"--chat=" + kChat, "--period=day", "--dry-run", "-Darchive.database=" + dir.file("none.db"), "summary"});
    INFO(r.err);
    CHECK(r.exitCode == 1);
    CHECK(has(r.err, "none.db"));
}

TEST_CASE("export --help lists export's options and no other command's") {
    const auto r = runOkarchive({"export", "--help"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.rfind("usage: okarchive [GLOBAL OPTIONS] export ", 0) == 0);
    for (const auto* option :
         {"--format", "--chat", "--output", "--since", "--until", "--sender", "--kind", "--has", "--contains",
          "--partition", "--timezone", "--excel", "--raw-csv", "--no-digests", "--verbatim", "--list-formats"}) {
        INFO(option);
        CHECK(listsOption(r.out, option));
    }
    for (const auto* option : {"--dry-run", "--force", "--period", "--at", "--dir"}) {
        INFO(option);
        CHECK_FALSE(listsOption(r.out, option));
    }
    for (const auto* option : {"--config", "--define", "--help"}) {  // the global options are there too
        INFO(option);
        CHECK(listsOption(r.out, option));
    }
    CHECK_FALSE(has(r.out, "Commands:"));  // not the overview

    const auto help = runOkarchive({"help", "export"});
    CHECK(help.exitCode == 0);
    CHECK(help.out == r.out);
    const auto before = runOkarchive({"--help", "export"});
    CHECK(before.exitCode == 0);
    CHECK(before.out == r.out);
}

TEST_CASE("every command's --help exits 0 with that command's usage, and help names unknown commands") {
    const std::vector<std::pair<std::string, std::vector<std::string>>> commands{
        {"sync", {"--chat"}},
        {"export", {"--format"}},
        {"report", {"--format", "--since", "--timezone"}},
        {"chats", {}},
        {"status", {}},
        {"media", {"--chat", "--json", "--sample", "--seed", "--dry-run"}},
        {"demo", {"--dir"}},
        {"serve", {"--daemon", "--pidfile"}},
        {"summary", {"--period", "--at", "--dry-run", "--force"}},
        {"backup", {"--output"}},
        {"check", {"--json"}},
        {"help", {}},
    };
    for (const auto& [command, options] : commands) {
        const auto r = runOkarchive({command, "--help"});
        INFO(command << "\n" << r.out << r.err);
        CHECK(r.exitCode == 0);
        CHECK(r.out.rfind("usage: okarchive [GLOBAL OPTIONS] " + command, 0) == 0);
        for (const auto& option : options) CHECK(listsOption(r.out, option));
        if (command != "export") CHECK_FALSE(listsOption(r.out, "--excel"));
    }
    const auto report = runOkarchive({"help", "report"});
    CHECK_FALSE(listsOption(report.out, "--sender"));
    CHECK_FALSE(listsOption(report.out, "--partition"));

    const auto overview = runOkarchive({"help"});
    INFO(overview.out);
    CHECK(overview.exitCode == 0);
    CHECK(overview.out == runOkarchive({"--help"}).out);
    for (const auto& [command, options] : commands) CHECK(has(overview.out, "\n  " + command));
    CHECK_FALSE(listsOption(overview.out, "--excel"));  // command options are in the commands' own help

    const auto unknown = runOkarchive({"help", "nosuch"});
    CHECK(unknown.exitCode == 2);
    CHECK(has(unknown.err, "'nosuch'"));
    CHECK(unknown.out.empty());
    CHECK(runOkarchive({"nosuch", "--help"}).exitCode == 2);
}

namespace {

/// Runs okarchive with its standard output on /dev/full (every write fails with ENOSPC): exit code and stderr.
RunResult runIntoDevFull(const std::vector<std::string>& args) {
    std::vector<std::string> shell = {"-c", "exec \"$0\" \"$@\" > /dev/full", okarchive::test::okarchiveBin()};
    shell.insert(shell.end(), args.begin(), args.end());
    Poco::Pipe errPipe;
    auto handle = Poco::Process::launch("/bin/sh", shell, ".", nullptr, nullptr, &errPipe);
    Poco::PipeInputStream in(errPipe);
    RunResult result;
    result.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    result.exitCode = handle.wait();
    return result;
}

}  // namespace

TEST_CASE("a command whose standard output cannot be written exits non-zero naming standard output") {
    TempDir dir;
    SimProcess sim({"--seed=42", "--chat=" + kChat + "=20"});
    const auto db = dir.file("c.db");
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    for (const auto& command : {"status", "chats"}) {
        const auto r = runIntoDevFull(with(baseArgs(sim, db), {command}));
        INFO(command << "\n" << r.err);
        CHECK(r.exitCode == 1);
        CHECK(has(r.err, std::string("okarchive ") + command + ": cannot write to standard output"));
        CHECK(has(r.err, "No space left on device"));
    }
    // A closed pipe is quiet (exit 0), any other failure to write an export to standard output is not.
    const auto exported =
        runIntoDevFull(with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=all", "--output=-"}));
    INFO(exported.err);
    CHECK(exported.exitCode == 1);
    CHECK(has(exported.err, "cannot write standard output: No space left on device"));
    const auto help = runIntoDevFull({"--help"});
    INFO(help.err);
    CHECK(help.exitCode != 0);
    CHECK(has(help.err, "standard output"));
    CHECK(runOkarchive(with(baseArgs(sim, db), {"status"})).exitCode == 0);  // a writable output is fine as before
}

TEST_CASE("without --config the user's settings file is read, and OKARCHIVE_CONFIG names another") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("xdg/okarchive"));
    const auto archive = dir.file("from-user-file.db");
    std::ofstream(dir.file("xdg/okarchive/okarchive.ini")) << "[archive]\ndatabase = " << archive << "\n";
    // OKARCHIVE_CONFIG unset (empty map value cannot unset it: the harness sets /dev/null unless a test names one),
    // so name the user's file through XDG_CONFIG_HOME and leave OKARCHIVE_CONFIG to `env -u`.
    const auto viaUserFile =
        runOkarchiveVia({"/usr/bin/env", "-u", "OKARCHIVE_CONFIG", "XDG_CONFIG_HOME=" + dir.file("xdg")}, {"status"});
    CHECK(has(viaUserFile.out + viaUserFile.err, archive));

    std::ofstream(dir.file("other.ini")) << "[archive]\ndatabase = " << dir.file("from-env.db") << "\n";
    const auto viaEnvironment = runOkarchive({"status"}, {{"OKARCHIVE_CONFIG", dir.file("other.ini")}});
    CHECK(has(viaEnvironment.out + viaEnvironment.err, dir.file("from-env.db")));

    const auto missing = runOkarchive({"status"}, {{"OKARCHIVE_CONFIG", dir.file("missing.ini")}});
    CHECK(missing.exitCode == 2);
    CHECK(has(missing.err, dir.file("missing.ini")));
}
