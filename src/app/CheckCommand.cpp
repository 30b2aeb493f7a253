#include <string>

#include <fmt/format.h>

#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/InertText.h"
#include "domain/JsonWriter.h"
#include "store/ArchiveCheck.h"

namespace okarchive {
namespace {

/// One line per problem: "CHECK: CHAT WHERE: WHAT" (the parts a problem has).
std::string problemLine(const ArchiveProblem& p) {
    std::string subject = inertText(p.chatId);
    if (!p.where.empty()) subject += (subject.empty() ? "" : " ") + inertText(p.where);
    return fmt::format("{}: {}{}\n", p.check, subject.empty() ? "" : subject + ": ", inertText(p.what));
}

void printJson(std::ostream& out, const std::string& path, const std::vector<ArchiveProblem>& problems) {
    std::string json;
    JsonWriter writer(json);
    writer.beginObject().key("archive").value(path).key("healthy").value(problems.empty()).key("problems");
    writer.beginArray();
    for (const auto& p : problems) {
        writer.beginObject().key("check").value(p.check).key("chat").value(p.chatId).key("where").value(p.where);
        writer.key("problem").value(p.what).endObject();
    }
    writer.endArray().endObject();
    out << json << "\n";
}

int runCheck(CommandContext& ctx) {
    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    const auto problems = checkArchive(path);
    if (ctx.options.has("json")) {
        printJson(ctx.out, path, problems);
    } else {
        for (const auto& p : problems) ctx.out << problemLine(p);
        if (problems.empty())
            ctx.out << fmt::format("archive {}: healthy (integrity, foreign keys, schema, coverage, consistency)\n",
                                   path);
    }
    if (problems.empty()) return ExitOk;
    ctx.err << fmt::format("okarchive check: archive {}: {} problem{}\n", path, problems.size(),
                           problems.size() == 1 ? "" : "s");
    return ExitPartialFailure;
}

}  // namespace

const CommandSpec& checkCommand() {
    static const CommandSpec spec{
        "check",
        "[--json]",
        "check the archive read-only, beside a running serve: integrity, foreign keys, schema version, coverage "
        "(disjoint, merged, of known chats, within their messages); exit status 1 naming every problem",
        {{"json", "", "", false, "print {\"archive\", \"healthy\", \"problems\": [{check, chat, where, problem}]}"}},
        runCheck};
    return spec;
}

}  // namespace okarchive
