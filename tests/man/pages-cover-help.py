#!/usr/bin/env python3
"""Man pages against what the binaries and the sample say, each read independently of the generator:
every command `okarchive --help` lists and every option `okarchive help CMD` prints (with its argument) is in that
command's subsection of okarchive(1); every global option, exit code and the system settings path the help names are
in the page; every key of config/okarchive.ini is an entry of its section in okarchive.ini(5); every option
`okapi-sim --help` prints is in okarchive-sim(1); each page carries `okarchive --version` and no date. Pages are
read as ASCII (non-ASCII text is \\[uXXXX] escapes). Pages are rendered by groff (-Tascii, wide lines).
usage: pages-cover-help.py OKARCHIVE OKAPI_SIM MAN_DIR SAMPLE_INI      (exit 77: groff missing)"""
import os, re, shutil, subprocess, sys

okarchive, sim, man_dir, sample = sys.argv[1:5]
if not shutil.which("groff"):
    print("skipped: groff is not installed (scripts/setup.sh test installs groff-base)")
    sys.exit(77)
env = dict(os.environ, OKARCHIVE_CONFIG="/dev/null")
failures = []


def run(*args):
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def render(page):
    return run("groff", "-man", "-Tascii", "-P-cbou", "-rLL=400n", os.path.join(man_dir, page))


def sections(text, level):
    """Heading -> body, for .SH (level 0: no indent) or .SS (level 3: three spaces) headings."""
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^ {%d}(\S.*)$" % level, line)
        if m and (level > 0 or line.isupper() or m.group(1).isupper()):
            name = m.group(1).strip()
            out[name] = ""
        elif name is not None:
            out[name] += line + "\n"
    return out


def help_options(text, title):
    """The option tags (--name or --name=ARG) of the help's block that starts with `title`."""
    if title not in text:  # a command without options of its own
        return []
    block = text.split(title, 1)[1].split("\n\n", 1)[0]
    return [m.group(1) for m in re.finditer(r"^(?:-\S+, )?(--[a-z0-9-]+(?:=\S+)?)", block, re.M)]


def tagged(option, body):
    """Whether `option` is the tag of an entry in `body` (at the entry's indent, after its short form if any)."""
    return re.search(r"^ {7}(?:-\S+(?: \S+)?, )?" + re.escape(option) + r"(\s|$)", body, re.M)


def check(condition, what):
    if not condition:
        failures.append(what)


overview = run(okarchive, "--help")
commands = re.findall(r"^  ([a-z][a-z0-9-]*)", overview.split("Commands:\n", 1)[1].split("\n\n", 1)[0], re.M)
check(len(commands) >= 9, f"--help lists only {commands}")
page = render("okarchive.1")
top = sections(page, 0)
subsections = sections(top.get("COMMANDS", ""), 3)
for command in commands:
    body = subsections.get(command)
    check(body is not None, f"okarchive.1 has no subsection for command {command}")
    for option in help_options(run(okarchive, "help", command), f"Options of {command}:\n") if body else []:
        check(tagged(option, body), f"okarchive.1: {command} {option}")
for option in help_options(overview, "Global options:\n"):
    check(tagged(option, top.get("GLOBAL OPTIONS", "")), f"okarchive.1: global {option}")
flat = lambda s: " ".join(s.split())
footer = flat(overview.split("Exit codes:", 1)[1])
for code, meaning in re.findall(r"(\d) (.+?)[,.](?= \d |\s*Settings:)", footer):
    check(re.search(rf"^ +{code} +{re.escape(meaning)}$", top.get("EXIT STATUS", ""), re.M),
          f"okarchive.1: exit code {code} {meaning}")
system_file = [p for p in re.findall(r"(/\S+/okarchive/okarchive\.ini)", footer)]
check(system_file and system_file[0] in top.get("FILES", ""), f"okarchive.1 FILES lacks {system_file}")
check(overview.splitlines()[1] in flat(top.get("DESCRIPTION", "")), "okarchive.1 DESCRIPTION lacks the overview")

version = run(okarchive, "--version").strip()  # "okarchive 0.1.0": every page's footer, and no date (reproducible)
for name in ("okarchive.1", "okarchive.ini.5", "okarchive-sim.1"):
    th = [l for l in open(os.path.join(man_dir, name), encoding="ascii") if l.startswith(".TH ")]
    check(len(th) == 1 and f'"" "{version}"' in th[0], f"{name}: .TH {th} does not carry '{version}' without a date")

ini = sections(sections(render("okarchive.ini.5"), 0).get("SETTINGS", ""), 3)
section, keys = None, 0
for line in open(sample, encoding="utf-8"):
    if m := re.match(r"^\[(\w+)\]", line):
        section = m.group(1)
        check(f"[{section}]" in ini, f"okarchive.ini.5 has no [{section}]")
    elif m := re.match(r"^;?([A-Za-z0-9_][A-Za-z0-9_.:]*)\s*=", line):
        keys += 1
        check(re.search(rf"^ {{7}}{re.escape(m.group(1))}( |$)", ini.get(f"[{section}]", ""), re.M),
              f"okarchive.ini.5: [{section}] {m.group(1)}")
check(keys >= 20, f"only {keys} keys read from {sample}")

sim_page = sections(render("okarchive-sim.1"), 0).get("OPTIONS", "")
sim_options = re.findall(r"^  (--[a-z-]+(?:=\S+)?)", run(sim, "--help"), re.M)
check(len(sim_options) >= 15, f"okapi-sim --help lists only {sim_options}")
for option in sim_options:
    check(tagged(option, sim_page), f"okarchive-sim.1: {option}")

for failure in failures:
    print("FAIL:", failure)
print(f"{len(commands)} commands, {keys} settings keys, {len(sim_options)} simulator options checked")
sys.exit(1 if failures else 0)
