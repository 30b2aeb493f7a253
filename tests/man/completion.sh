#!/usr/bin/env bash
# Bash completion test: the generated completion file is sourced into bash (MODE fallback: alone; MODE
# bash-completion: after Debian's bash-completion, so _init_completion and _filedir are used), COMP_WORDS and
# COMP_CWORD are set as readline splits a command line (COMP_WORDBREAKS: --opt=value is --opt, =, value), _okarchive is
# called under `set -u` and COMPREPLY is compared with what the binary itself says: the commands of `okarchive
# --help`, each command's options from `okarchive help CMD` plus the global ones (and no other command's), the
# formats of `okarchive export --list-formats`, en|ru for --locale, files for --output/--config, directories for
# --dir. Every case runs with and without '=' and ':' in COMP_WORDBREAKS. Any message on standard error fails.
# usage: completion.sh COMPLETION_FILE OKARCHIVE MODE      (exit 77 = bash-completion missing in that MODE)
export OKARCHIVE_CONFIG=/dev/null
set -eo pipefail
completion="$1" okarchive="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")" mode="$3"
if [ "$mode" = bash-completion ]; then
  [ -r /usr/share/bash-completion/bash_completion ] ||
    { echo "skipped: bash-completion is not installed (scripts/setup.sh test installs it)"; exit 77; }
  # shellcheck disable=SC1091
  . /usr/share/bash-completion/bash_completion
  declare -F _init_completion >/dev/null || { echo "FAIL: bash-completion defines no _init_completion"; exit 1; }
fi
# shellcheck disable=SC1090
. "$completion"
set -u +e  # -u as some users' shells; not -e, which bash-completion's own functions do not survive
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"; ln -s "$okarchive" "$work/bin/okarchive"; PATH="$work/bin:$PATH"  # `okarchive` as a user types it
HOME="$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The binary's own word lists (independent of the generator).
mapfile -t commands < <("$okarchive" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z0-9-]*\).*/\1/p')
options_of() {  # the --name or --name= of each option in the help block titled $2 of `okarchive $1`
  "$okarchive" $1 | sed -n "/^$2/,/^\$/p" | sed -n 's/^\(-[^ ]*, \)\{0,1\}\(--[a-z0-9-]*\)\(=\{0,1\}\).*/\2\3/p'
}
mapfile -t global < <(options_of --help 'Global options:')
subcommands_of() {  # the subcommands `okarchive help $1` lists ("  CMD SUB ..." under "Subcommands of CMD:")
  "$okarchive" help "$1" | sed -n "/^Subcommands of $1:/,/^\$/p" | sed -n "s/^  $1 \([a-z][a-z0-9-]*\).*/\1/p"
}
[ "$(subcommands_of media | wc -l)" -ge 2 ] || { echo "FAIL: okarchive help media lists no subcommands"; exit 1; }
mapfile -t formats < <("$okarchive" export --list-formats | cut -f1)
[ ${#commands[@]} -ge 9 ] && [ ${#global[@]} -ge 4 ] && [ ${#formats[@]} -ge 6 ] ||
  { echo "FAIL: cannot read the help (${commands[*]} / ${global[*]} / ${formats[*]})"; exit 1; }

# Sets COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT for line $1 as readline splits it, then calls _okarchive.
complete_line() {
  local line=$1 word="" c i
  COMP_WORDS=()
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == " " ]]; then
      [[ -n $word ]] && COMP_WORDS+=("$word"); word=""
    elif [[ $COMP_WORDBREAKS == *"$c"* ]]; then
      [[ -n $word ]] && COMP_WORDS+=("$word"); COMP_WORDS+=("$c"); word=""
    else
      word+=$c
    fi
  done
  if [[ -n $word || $line == *" " ]]; then COMP_WORDS+=("$word"); fi
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
  COMPREPLY=()
  _okarchive "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2> "$work/stderr"
  [ ! -s "$work/stderr" ] || fail "'$line' printed: $(cat "$work/stderr")"
}

sorted() { printf '%s\n' "$@" | sed '/^$/d' | sort -u | tr '\n' ' '; }
starting() { local prefix=$1 w; shift; for w in "$@"; do [[ $w == "$prefix"* ]] && printf '%s\n' "$w"; done; return 0; }
expect() {  # LINE WORD...: COMPREPLY is exactly these words (in any order)
  local line=$1; shift
  complete_line "$line"
  local got want
  got=$(sorted "${COMPREPLY[@]}") want=$(sorted "$@")
  [ "$got" = "$want" ] || fail "'$line' [breaks: ${COMP_WORDBREAKS//$'\n'/}] completes to '$got', expected '$want'"
}

mkdir "$work/cwd"; cd "$work/cwd"; mkdir beta; : > alpha.ini
# The replies for values $2... of option $1 given as --opt=: bare when '=' breaks words, else with their --opt=.
values() {
  local option=$1 word; shift
  for word in "$@"; do [[ $COMP_WORDBREAKS == *=* ]] && echo "$word" || echo "$option=$word"; done
}
run_cases() {
  local command
  expect "okarchive " "${commands[@]}"
  expect "okarchive s" $(starting s "${commands[@]}")
  expect "okarchive --" "${global[@]}"
  for command in "${commands[@]}"; do
    expect "okarchive $command --" $(options_of "help $command" "Options of $command:") "${global[@]}"
  done
  expect "okarchive --config=alpha.ini sync --" $(options_of "help sync" "Options of sync:") "${global[@]}"
  expect "okarchive -c alpha.ini -D sync.workers=3 status --" $(options_of "help status" "Options of status:") \
    "${global[@]}"
  expect "okarchive export --format=" $(values --format "${formats[@]}")
  expect "okarchive export --format=t" $(values --format $(starting t "${formats[@]}"))
  expect "okarchive export --format " "${formats[@]}"
  expect "~/bin/okarchive export --format " "${formats[@]}"  # the program as typed, from the home directory
  expect "okarchive report --format="
  expect "okarchive report --locale=" $(values --locale en ru)
  expect "okarchive export --locale r" ru
  expect "okarchive status --chat=" $(values --chat all)
  expect "okarchive status --chat=chat:C1"
  expect "okarchive --config=al" $(values --config alpha.ini)
  expect "okarchive -c al" alpha.ini
  expect "okarchive export -o al" alpha.ini
  expect "okarchive report --output=be" $(values --output beta)
  expect "okarchive demo --dir=" $(values --dir beta)
  expect "okarchive help " "${commands[@]}"
  expect "okarchive help sync "
  expect "okarchive media " $(subcommands_of media)
  expect "okarchive media s" $(starting s $(subcommands_of media))
  expect "okarchive --config=alpha.ini media " $(subcommands_of media)
  expect "okarchive media status "
  expect "okarchive help media "
  expect "okarchive sync x"
}
# A word with a quote and a command substitution in it (as readline hands it over: the quote opens the word) is text
# to match, never run: bash-completion's _filedir evaluates the word it is given.
hostile_word() {
  local word
  for word in "'\$(mkdir\${IFS}PWNED)" '"$(mkdir${IFS}PWNED)' '`mkdir${IFS}PWNED`'; do
    COMP_WORDS=(okarchive export --output "$word") COMP_CWORD=3 COMP_LINE="okarchive export --output $word"
    COMP_POINT=${#COMP_LINE} COMPREPLY=()
    _okarchive okarchive "$word" --output 2>/dev/null
    [ ! -e PWNED ] || { fail "completing the file name $word ran the command in it"; rmdir PWNED; }
  done
}
# Readline's default breaks, then a COMP_WORDBREAKS without '=' and ':' (the word keeps its --opt= prefix).
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
run_cases
COMP_WORDBREAKS=$' \t\n"\'><;|&('
run_cases
hostile_word
echo "$mode: ${#commands[@]} commands, ${#formats[@]} formats; $failures failures"
[ "$failures" -eq 0 ]
