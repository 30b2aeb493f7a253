#include "app/ManPage.h"

#include <cctype>
#include <ostream>

#include <fmt/format.h>

#include "app/CommandHelp.h"
#include "app/Commands.h"
#include "app/ConfigLocation.h"
#include "app/Roff.h"
#include "app/Settings.h"

namespace okarchive {
namespace {

/// "Archives OK group chats ... them." as a NAME line's description: "archives OK group chats ... them".
std::string nameDescription(std::string sentence) {
    if (!sentence.empty() && sentence.back() == '.') sentence.pop_back();
    if (!sentence.empty()) sentence[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(sentence[0])));
    return sentence;
}

/// One synopsis line: `okarchive [GLOBAL OPTIONS] name synopsis`, hanging under the program name.
void writeCallLine(std::ostream& out, const std::string& name, const std::string& synopsis) {
    out << ".ti -4n\n\\fBokarchive\\fR [\\fIGLOBAL OPTIONS\\fR] \\fB" << roffLiteral(name) << "\\fR"
        << (synopsis.empty() ? "" : " " + roffLiteral(synopsis)) << "\n.br\n";
}

/// The command's synopsis line, or one per subcommand (`media status ...`).
void writeCallLine(std::ostream& out, const CommandSpec& command) {
    if (command.subcommands.empty()) writeCallLine(out, command.name, command.synopsis);
    for (const auto& subcommand : command.subcommands)
        writeCallLine(out, command.name + " " + subcommand.name, subcommand.synopsis);
}

void writeSynopsis(std::ostream& out) {
    out << ".SH SYNOPSIS\n.in +4n\n.ti -4n\n\\fBokarchive\\fR " << roffLiteral(kProgramUsage) << "\n.br\n";
    for (const auto* command : commandTable()) writeCallLine(out, *command);
    out << ".in\n";
}

void writeOptions(std::ostream& out, const std::vector<OptionSpec>& options) {
    for (const auto& option : options) out << ".TP\n" << roffOptionTag(option) << "\n" << roffText(option.help) << "\n";
}

void writeCommands(std::ostream& out) {
    out << ".SH COMMANDS\n";
    for (const auto* command : commandTable()) {
        out << ".SS " << roffLiteral(command->name) << "\n.in +4n\n";
        writeCallLine(out, *command);
        out << ".in\n.PP\n" << roffText(command->summary) << ".\n";
        for (const auto& subcommand : command->subcommands)
            out << ".TP\n.B " << roffLiteral(subcommand.name) << "\n" << roffText(subcommand.summary) << ".\n";
        if (!command->subcommands.empty()) out << ".PP\nOptions (each subcommand takes those its synopsis names):\n";
        if (command->options.empty()) out << ".PP\nIt takes only the global options.\n";
        writeOptions(out, command->options);
    }
}

void writeDescription(std::ostream& out) {
    out << ".SH DESCRIPTION\n"
        << roffText(kProgramSummary) << "\n"
        << roffText(
               "Each command below has its own options; every command also takes the global options. "
               "`okarchive help COMMAND` and `okarchive COMMAND --help` print a command's usage, "
               "`okarchive --help` the overview.")
        << "\n";
}

void writeExitStatus(std::ostream& out) {
    out << ".SH EXIT STATUS\n";
    for (const auto& [code, meaning] : exitCodeMeanings())
        out << ".TP\n.B " << code << "\n" << roffText(meaning) << "\n";
}

void writeTagged(std::ostream& out, const std::string& tag, const std::string& text) {
    out << ".TP\n" << tag << "\n" << roffText(text) << "\n";
}

void writeFiles(std::ostream& out, const ManPageFacts& facts) {
    out << ".SH FILES\n"
        << roffText(
               "Without --config or OKARCHIVE_CONFIG, okarchive reads the first of the two settings files below that "
               "exists; files are never merged.")
        << "\n";
    writeTagged(out, "\\fI~/.config/okarchive/okarchive.ini\\fR",
                "The user's settings file ($XDG_CONFIG_HOME/okarchive/okarchive.ini when XDG_CONFIG_HOME is set), "
                "read when it exists and OKARCHIVE_CONFIG is not set.");
    writeTagged(out, "\\fI" + roffLiteral(systemConfigFile()) + "\\fR",
                "The system's settings file, read when it exists and neither of the above applies. See "
                "okarchive.ini(5).");
    writeTagged(out, "\\fI" + roffLiteral(packagedTokenFile()) + "\\fR",
                "The access token, as the packaged settings read it (api.access_token_file): its first line, in a "
                "regular file only root and the okarchive group can read (mode 0640).");
    writeTagged(out, "\\fI" + roffLiteral(facts.stateDirectory) + "\\fR",
                "The service's state directory: the packaged settings keep the archive there (archive.database = " +
                    facts.stateDirectory + "/okarchive.db, with its -wal and -shm files beside it).");
}

void writeEnvironment(std::ostream& out) {
    out << ".SH ENVIRONMENT\n";
    writeTagged(out, "\\fB" + roffLiteral(kConfigEnvironmentVariable) + "\\fR",
                "The settings file to read instead of looking for one (any path; /dev/null reads none). --config "
                "overrides it.");
    writeTagged(out, "\\fBXDG_CONFIG_HOME\\fR, \\fBHOME\\fR", "Where the user's settings file is looked for.");
    writeTagged(
        out, "\\fBOKARCHIVE_\\fR\\fIKEY\\fR",
        "Sets the setting KEY, upper-cased with '.' as '_' (" + environmentNameFor("sync.page_size") +
            " sets sync.page_size): over the settings file, under --define. Per-chat keys (sync.interval.chat:ID) "
            "cannot be set this way.");
    writeTagged(out, "\\fBOKARCHIVE_ACCESS_TOKEN\\fR",
                "The bot's access token (api.access_token); it never appears in logs, errors, the archive or exports.");
    writeTagged(out, "\\fBJOURNAL_STREAM\\fR",
                "Set by systemd when standard error is the journal: serve's log lines then carry sd-daemon priority "
                "prefixes (<3> error, <4> warning, <6> info) instead of a timestamp.");
    writeTagged(out, "\\fBNOTIFY_SOCKET\\fR, \\fBWATCHDOG_USEC\\fR",
                "Set by systemd for a Type=notify service: serve reports readiness, reloads and stopping, and feeds "
                "the watchdog.");
}

}  // namespace

std::string packagedTokenFile() {
    const auto config = systemConfigFile();
    return config.substr(0, config.rfind('/') + 1) + "token";
}

void writeOkarchivePage(std::ostream& out, const ManPageFacts& facts) {
    out << roffHeader("OKARCHIVE", 1, facts.version, "the command table (src/app)") << ".SH NAME\nokarchive \\- "
        << roffText(nameDescription(kProgramSummary)) << "\n";
    writeSynopsis(out);
    writeDescription(out);
    writeCommands(out);
    out << ".SH GLOBAL OPTIONS\n";
    writeOptions(out, globalOptions());
    writeExitStatus(out);
    writeFiles(out, facts);
    writeEnvironment(out);
    out << ".SH SEE ALSO\n\\fBokarchive.ini\\fR(5), \\fBokarchive\\-sim\\fR(1), \\fBsqlite3\\fR(1), "
           "\\fBjournalctl\\fR(1), \\fBsystemctl\\fR(1)\n";
}

}  // namespace okarchive
