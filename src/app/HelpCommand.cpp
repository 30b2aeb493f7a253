#include <fmt/format.h>

#include "app/Commands.h"
#include "domain/Errors.h"

namespace okarchive {
namespace {

/// `help` prints the overview; `help COMMAND` that command's usage and options.
int runHelp(CommandContext& ctx) {
    if (ctx.arguments.size() > 1)
        throw UsageError(fmt::format("unexpected argument '{}': help takes one command", ctx.arguments[1]));
    if (ctx.arguments.empty()) {
        ctx.printHelp(ctx.out, nullptr);
        return ExitOk;
    }
    const auto* command = findCommand(ctx.arguments.front());
    if (!command)
        throw UsageError(fmt::format("unknown command '{}' (commands: {})", ctx.arguments.front(), commandNames()));
    ctx.printHelp(ctx.out, command);
    return ExitOk;
}

}  // namespace

const CommandSpec& helpCommand() {
    static const CommandSpec spec{"help", "[COMMAND]", "show this overview, or a command's usage and options",
                                  {},     runHelp,     true};
    return spec;
}

}  // namespace okarchive
