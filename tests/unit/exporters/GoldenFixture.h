#pragma once

#include <vector>

#include "ExportTestSupport.h"

namespace okarchive::test {

/// The small fixed archive of the golden files: every attachment type, service messages (an unknown kind too),
/// replies (found, missing), a renamed sender, hostile text and URLs, a day change that exists in Moscow time only.
inline std::vector<Message> goldenMessages() {
    std::vector<Message> v;
    const std::int64_t t0 = 1498581292941;  // 2017-06-27T16:34:52.941Z = 19:34 in Moscow
    auto add = [&](Message m) { v.push_back(std::move(m)); };

    add(textMessage("mid:C3ecb9d02a600.0001", t0, 98211023614189660, "user:100000000001", "Ivan Petrov",
                    "Привет всем! 👋 \"quoted\", with a comma\nand a second line"));
    {
        auto m = textMessage("mid:C3ecb9d02a600.0002", t0 + 60000, 98211023614189661, "user:100000000001",
                             "Ivan Petrov", "=SUM(A1:A9) look at this");
        m.attachments.push_back({"IMAGE", R"J({"id":"img1","token":"tok","url":"https://i.mycdn.me/i?r=AAA&s=1"})J"});
        // Edited twice as the archive saw it: the earliest version had hostile HTML and a FILE, the next no text.
        m.editedAtMs = t0 + 7200000;
        m.revisions = {{t0 + 3600000, "<b>first</b> =HYPERLINK(\"x\")",
                        {{"FILE", R"J({"url":"https://f.example/old.pdf","name":"old.pdf"})J"}}, "{\"v\":1}"},
                       {t0 + 7200000, std::nullopt, {}, "{\"v\":2}"}};
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0003", t0 + 120000, 98211023614189662, "user:100000000002", "Olga",
                             std::nullopt);
        m.attachments.push_back({"VIDEO", R"J({"id":"v1","token":"t","url":"https://ok.ru/video/123"})J"});
        m.attachments.push_back({"AUDIO", R"J({"id":"a1","token":"t","url":"https://ok.ru/audio/1.ogg"})J"});
        m.deletedObservedAtMs = t0 + 86400000;  // gone from a later re-check, kept with the time it was seen gone
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0004", t0 + 180000, 98211023614189663, "user:100000000002", "Olga",
                             "-1 files");
        m.attachments.push_back(
            {"FILE",
             R"J({"id":"f1","token":"t","url":"https://dl.mycdn.me/file?id=1","name":"отчёт 2017.pdf","size":1234567})J"});
        m.attachments.push_back(
            {"SHARE", R"J({"id":"123456789","url":"https://ok.ru/group/53038939046008/topic/1"})J"});
        add(m);
    }
    {
        auto m =
            textMessage("mid:C3ecb9d02a600.0005", t0 + 240000, 98211023614189664, "user:100000000003", "Sergey", "");
        m.attachments.push_back(
            {"CONTACT",
             R"J({"id":"123456789","name":"Мария <b>Сидорова</b>","photoUrl":"https://photo.url","phone":"79493344555","vcfBody":"BEGIN:VCARD\r\nEND:VCARD"})J"});
        m.attachments.push_back({"LOCATION", R"J({"latitude":59.928658,"longitude":30.38113,"livePeriod":600})J"});
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0006", t0 + 300000, 98211023614189665, "user:100000000003", "Sergey",
                             "@everyone choose");
        m.attachments.push_back(
            {"INLINE_KEYBOARD",
             R"J({"keyboard":{"buttons":[[{"type":"CALLBACK","text":"Да ✅","intent":"POSITIVE","payload":"yes"}],[{"type":"LINK","text":"Site","url":"https://ok.ru/"},{"type":"LINK","text":"Evil","url":"javascript:alert(1)"}],[{"type":"REQUEST_CONTACT","text":"Contact","quick":true}]]}})J"});
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0007", t0 + 360000, 98211023614189666, "user:100000000001",
                             "Ivan Petrov", "+7 more");
        m.attachments.push_back(
            {"MUSIC", R"J({"id":"23486020457601","url":"https://ok.ru/music/track/23486020457601"})J"});
        m.attachments.push_back({"CALL", R"J({"id":"c1","type":"VIDEO","hangupType":"MISSED","duration":75})J"});
        m.attachments.push_back(
            {"PRESENT", R"J({"id":"p1","status":"SENT","receiverId":"USER:1","senderId":"USER:2"})J"});
        m.attachments.push_back(
            {"STICKER", R"J({"id":"c23a918ef4","url":"https://i.mycdn.me/sticker?id=c23a918ef4"})J"});
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0008", t0 + 420000, 98211023614189667, "user:100000000001",
                             "Ivan Petrov", std::nullopt);
        m.attachments.push_back(
            {"HOLOGRAM",
             R"J({"hz":120,"mesh":"https://holo.ok.ru/m.glb","nested":{"a":[1,2.5,{"b":null}],"s":"<x>"}})J"});
        m.attachments.push_back({"PRESENT", "null"});
        add(m);
    }
    add(serviceMessage("mid:C3ecb9d02a600.0009", t0 + 480000, 98211023614189668, "user:100000000002", "Olga",
                       R"J({"ui":100000000002,"ty":"EXIT"})J", "EXIT", "user:100000000002"));
    add(serviceMessage("mid:C3ecb9d02a600.0010", t0 + 540000, 98211023614189669, "user:100000000001", "Ivan Petrov",
                       R"J({"ui":100000000004,"ty":"ADD"})J", "ADD", "user:100000000004"));
    add(serviceMessage("mid:C3ecb9d02a600.0011", t0 + 600000, 98211023614189670, "user:100000000001", "Ivan Petrov",
                       R"J({"ui":100000000001,"ty":"TITLE","title":"Новое название 🎉 <i>"})J", "TITLE",
                       "user:100000000001"));
    add(serviceMessage("mid:C3ecb9d02a600.0012", t0 + 660000, 98211023614189671, "user:100000000003", "Sergey",
                       R"J({"ty":"ZZZ_FUTURE_KIND"})J", "ZZZ_FUTURE_KIND", std::nullopt));
    add(serviceMessage("mid:C3ecb9d02a600.0013", t0 + 670000, 98211023614189672, "user:100000000004", "Anna",
                       R"J({"ui":100000000004,"ty":"JOIN"})J", "JOIN", "user:100000000004"));
    add(serviceMessage("mid:C3ecb9d02a600.0014", t0 + 680000, 98211023614189673, "user:100000000001", "Ivan Petrov",
                       R"J({"ui":100000000001,"ty":"ICON"})J", "ICON", "user:100000000001"));
    add(serviceMessage("mid:C3ecb9d02a600.0015", t0 + 690000, 98211023614189674, "user:100000000001", "Ivan Petrov",
                       R"J({"ui":100000000004,"ty":"REMOVE"})J", "REMOVE", "user:100000000004"));
    // 2017-06-27T21:30Z: still the 27th in UTC, already the 28th in Moscow. Sergey renamed himself.
    {
        auto m = textMessage("mid:C3ecb9d02a600.0016", 1498599000000, 98211023614189700, "user:100000000003",
                             "Sergey Ivanov", "Answering Ivan");
        m.replyTo = "mid:C3ecb9d02a600.0001";
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0017", 1498599060000, 98211023614189701, "user:100000000003",
                             "Sergey Ivanov", "Answering something deleted");
        m.replyTo = "mid:C3ecb9d02a600.gone";
        add(m);
    }
    {
        auto m = textMessage("mid:C3ecb9d02a600.0018", 1498599120000, 98211023614189702, "user:100000000005",
                             "\"><img src=x onerror=alert(1)>", "<script>alert(1)</script> </title> \u202Eevil");
        m.attachments.push_back({"IMAGE", R"J({"url":"JaVaScRiPt:alert(document.cookie)"})J"});
        m.attachments.push_back({"FILE", R"J({"url":"java\tscript:alert(2)","name":"x.exe"})J"});
        m.attachments.push_back({"SHARE", R"J({"url":"data:text/html,<script>alert(1)</script>"})J"});
        m.attachments.push_back({"VIDEO", R"J({"url":"https://ok.ru/\"><script>alert(1)</script>"})J"});
        add(m);
    }
    return v;
}

}  // namespace okarchive::test
