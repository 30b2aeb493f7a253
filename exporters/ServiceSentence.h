#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/Locale.h"
#include "domain/Message.h"

namespace okarchive {

/// One piece of a service event's sentence. A renderer escapes every piece itself: HTML shows a Person as
/// `<b><bdi>name</bdi></b>`, a Title in `<bdi>`, a Code in `<code>`; a plain-text transcript shows them as they are.
struct SentencePiece {
    enum class Kind {
        Words,   ///< fixed words of the sentence, spaces and quote marks included
        Person,  ///< someone named: `text` is the name (may be empty), `fallback` what to show then (the id)
        Title,   ///< a chat title as the event gave it (the quote marks around it are Words)
        Code     ///< the raw type of an event the sentence does not know (or "(no type)")
    };
    Kind kind = Kind::Words;
    std::string text;
    std::string fallback;  ///< Person only

    /// What a reader sees of this piece: the text, or a Person's fallback when the name is empty.
    const std::string& shown() const { return kind == Kind::Person && text.empty() ? fallback : text; }
    bool operator==(const SentencePiece&) const = default;
};

/// A user's current name by id ("user:123"), when the archive knows it.
using UserNameLookup = std::function<std::optional<std::string>(const std::string& userId)>;

/// The sentence of a service message `m` (m.service set) in `locale`: "Bob added Alice", "Боб добавил(а) в чат
/// пользователя Алиса". The actor is the sender; the subject is the event's user (named through `userName`, else
/// shown by id) or the sender when the event is about them. Kinds are matched case-insensitively; an unknown kind
/// reads "service event CODE by Bob" / "служебное событие CODE от Боб". Russian uses gender-neutral verb forms
/// ("покинул(а)") as Telegram's Russian UI does, and keeps names in the nominative ("пользователя Алиса"):
/// okarchive knows neither a person's gender nor how to decline a name.
std::vector<SentencePiece> serviceSentence(const Message& m, Locale locale, const UserNameLookup& userName = {});

/// The sentence as plain text: every piece as shown(), nothing escaped.
std::string plainSentence(const std::vector<SentencePiece>& pieces);

}  // namespace okarchive
