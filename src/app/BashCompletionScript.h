#pragma once

namespace okarchive {

/// The fixed part of the bash completion script (BashCompletion.cpp writes the tables it reads before it).
inline constexpr const char* kBashCompletionFunctions = R"BASH(
# The option $1 in its long form (-o: --output).
_okarchive_long() {
    local short
    for short in "${!_okarchive_short[@]}"; do
        [[ $1 == "-$short" ]] && { printf '%s' "${_okarchive_short[$short]}"; return; }
    done
    printf '%s' "$1"
}

# Whether option $1 (long or short) takes a value, so that a separate word after it is that value.
_okarchive_takes_value() {
    local long
    long=$(_okarchive_long "$1")
    [[ " $_okarchive_valued " == *" $long "* ]]
}

# Appends each of the words after $1 that starts with $cur to COMPREPLY, behind the prefix $1.
_okarchive_add() {
    local prefix=$1 word
    shift
    for word in "$@"; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$prefix$word")
    done
    return 0
}

# Files (-f) or directories (-d) for the word $cur: bash-completion's _filedir when it can, else compgen.
# _filedir evaluates the word: one with a quote, $ or backquote (a command substitution) goes to compgen instead.
_okarchive_files() {
    if [[ -z $_okarchive_prefix && $cur != *[\'\"\$\`]* ]] && declare -F _filedir >/dev/null 2>&1; then
        if [[ $1 == -d ]]; then _filedir -d; else _filedir; fi
        return 0
    fi
    compopt -o filenames 2>/dev/null || true
    local name
    while IFS= read -r name; do COMPREPLY+=("$_okarchive_prefix$name"); done < <(compgen "$1" -- "$cur")
    return 0
}

# The formats program $1 (as typed: ~/ is the home directory) lists with `$1 $2 --list-formats` (name TAB
# extension): offline, and without reading any settings file.
_okarchive_formats() {
    local name rest program=$1
    [[ $program == "~/"* ]] && program=${HOME-}/${program#"~/"}
    while IFS=$'\t' read -r name rest; do
        [[ -n $name ]] && _okarchive_add "$_okarchive_prefix" "$name"
    done < <(OKARCHIVE_CONFIG=/dev/null "$program" "$2" --list-formats 2>/dev/null)
    return 0
}

# Rebuilds words, cword, cur and prev from COMP_WORDS when bash-completion is not loaded: COMP_WORDBREAKS splits
# --opt=value into --opt, = and value (-D key=value, chat:ID likewise), which are one word again here.
_okarchive_read_words() {
    local i word last
    for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
        word=${COMP_WORDS[i]}
        last=""
        ((${#words[@]} > 0)) && last=${words[${#words[@]} - 1]}
        if [[ $word == "=" || $word == ":" || ( -n $word && ( $last == *= || $last == *: ) ) ]] &&
            ((${#words[@]} > 1)); then
            words[${#words[@]} - 1]+=$word
        else
            words+=("$word")
        fi
    done
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
    ((cword > 0)) && prev=${words[cword - 1]}
    if [[ $cur == -*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
        split=true
    fi
    return 0
}

# The command word among words[1..cword-1] (the first that is neither an option nor an option's value), or "".
_okarchive_find_command() {
    local i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -* ]]; then
            [[ ${words[i]} != *=* ]] && _okarchive_takes_value "${words[i]}" && ((i++))
            continue
        fi
        command=${words[i]}
        command_index=$i
        return 0
    done
    return 0
}

# The options to offer after command $1 ("" before the command: the global ones only).
_okarchive_offer_options() {
    local options=$_okarchive_global_options
    [[ -n $1 ]] && options+=" $(_okarchive_command_options "$1")"
    # shellcheck disable=SC2086
    _okarchive_add "" $options
    local reply
    for reply in "${COMPREPLY[@]}"; do
        [[ $reply == *= ]] && { compopt -o nospace 2>/dev/null || true; break; }
    done
    return 0
}

# Drops from each reply what bash keeps of $cur before its last ':' (when ':' breaks words), as bash-completion's
# __ltrim_colon_completions does.
_okarchive_trim_colons() {
    [[ $cur == *:* && ${COMP_WORDBREAKS-} == *:* ]] || return 0
    local keep=${cur%"${cur##*:}"} i
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$keep"}; done
    return 0
}

_okarchive() {
    local cur="" prev="" words=() cword=0 split=false command="" command_index=0 _okarchive_prefix=""
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -s -n : || return 0
    else
        _okarchive_read_words
    fi
    _okarchive_find_command
    local option=""
    if [[ $split == true ]]; then
        option=$prev
        [[ ${COMP_WORDBREAKS-} == *=* ]] || _okarchive_prefix="$prev="
    elif [[ $prev == -* && $prev != *=* ]] && ((cword - 1 != command_index)) && _okarchive_takes_value "$prev"; then
        option=$prev
    fi
    if [[ -n $option ]]; then
        _okarchive_values "$command" "$(_okarchive_long "$option")" "${words[0]}"
    elif [[ $cur == -* ]]; then
        _okarchive_offer_options "$command"
    elif [[ -z $command ]] || { [[ $command == help ]] && ((command_index == cword - 1)); }; then
        # shellcheck disable=SC2086
        _okarchive_add "" $_okarchive_commands
    elif ((command_index == cword - 1)); then
        # shellcheck disable=SC2046
        _okarchive_add "" $(_okarchive_subcommands "$command")
    fi
    _okarchive_trim_colons
    return 0
}
complete -F _okarchive okarchive
)BASH";

}  // namespace okarchive
