#include "sim/SimEndpoints.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <istream>
#include <limits>
#include <sstream>

#include "sim/IsoTime.h"
#include "sim/JsonEscape.h"
#include "sim/Rng.h"
#include "sim/SimHttp.h"

namespace okarchive::sim {
namespace {

constexpr std::size_t kMaxBody = 16 * 1024 * 1024;
constexpr std::string_view kMessagesPath = "/me/messages";
constexpr std::string_view kChatPath = "/me/chat/";
const std::string kBotName = "okarchive bot";

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string jsonString(std::string_view text) {
    std::string out;
    appendWireString(out, text, EscapeStyle::Plain);
    return out;
}

/// Parses a whole decimal int64; nullopt if anything else.
std::optional<std::int64_t> parseInt(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

std::optional<double> parseDouble(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return value;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

/// An opaque /me/chats marker for `offset`, and back.
std::string encodeMarker(std::size_t offset) {
    const std::uint64_t check = mix64(offset ^ 0x6d61726b6572ULL) & 0xFFFFFF;
    char buf[64];
    std::snprintf(buf, sizeof buf, "m%llxx%06llx", static_cast<unsigned long long>(offset ^ 0x5f3759dfULL),
                  static_cast<unsigned long long>(check));
    return buf;
}

std::optional<std::size_t> decodeMarker(const std::string& marker) {
    unsigned long long scrambled = 0;
    unsigned long long check = 0;
    char tail = 0;
    if (std::sscanf(marker.c_str(), "m%llxx%6llx%c", &scrambled, &check, &tail) != 2) return std::nullopt;
    const std::size_t offset = static_cast<std::size_t>(scrambled ^ 0x5f3759dfULL);
    if (encodeMarker(offset) != marker) return std::nullopt;
    return offset;
}

std::string chatObject(const ChatSummary& chat, bool detailed) {
    std::string out = "{\"chat_id\":" + jsonString(chat.chatId) +
                      ",\"type\":\"CHAT\",\"status\":\"ACTIVE\",\"title\":" + jsonString(chat.title) +
                      ",\"participants_count\":" + std::to_string(chat.participantsCount) +
                      ",\"owner_id\":" + jsonString(chat.ownerId) +
                      ",\"last_event_time\":" + std::to_string(chat.lastEventTime);
    if (detailed) {
        out += ",\"icon\":{\"url\":" + jsonString(chat.iconUrl) + "},\"participants\":{";
        for (std::size_t i = 0; i < chat.participants.size(); ++i) {
            if (i > 0) out += ',';
            out += jsonString(chat.participants[i].first) + ":" + std::to_string(chat.participants[i].second);
        }
        out += '}';
    }
    out += '}';
    return out;
}

/// The request body; empty without Content-Length or chunking (never read to EOF); nullopt if too large.
std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request) {
    std::string body;
    if (!request.getChunkedTransferEncoding() && !request.hasContentLength()) return body;
    std::istream& in = request.stream();
    char buffer[8192];
    bool tooLarge = false;
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        if (body.size() <= kMaxBody)
            body.append(buffer, static_cast<std::size_t>(in.gcount()));
        else
            tooLarge = true;
    }
    if (tooLarge) return std::nullopt;
    return body;
}

Reply plain(int status, const std::string& text) {
    Reply reply;
    reply.status = status;
    reply.contentType = "text/plain;charset=utf-8";
    reply.body = text + "\n";
    return reply;
}

/// Service event of a POSTed text, decoded the way the real service's texts read: a JSON object with a "ty".
void detectService(SimMessage& message) {
    if (!message.text || message.text->empty() || message.text->front() != '{') return;
    try {
        Poco::JSON::Parser parser;
        const auto value = parser.parse(*message.text);
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) return;
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        const auto ty = object->get("ty");
        if (!ty.isString()) return;
        message.service = true;
        message.serviceType = ty.toString();
        const auto ui = object->get("ui");
        if (!ui.isEmpty() && (ui.isInteger() || ui.isString())) message.serviceUserId = "user:" + ui.toString();
    } catch (const Poco::Exception&) {}
}

SimAttachment attachmentFrom(const Poco::JSON::Object::Ptr& object) {
    SimAttachment attachment;
    attachment.type = object->optValue<std::string>("type", "");
    if (object->has("payload")) {
        std::ostringstream out;
        Poco::JSON::Stringifier::condense(object->get("payload"), out);
        attachment.payloadJson = out.str();
    }
    return attachment;
}

Reply apiError(int code, const std::string& message) {
    Reply reply;
    reply.body =
        "{\"error_code\":" + std::to_string(code) + ",\"error_msg\":" + jsonString(message) + ",\"error_data\":null}";
    reply.headers.emplace_back("invocation-error", std::to_string(code));
    return reply;
}

Reply accessError(std::optional<ChatSpec::Access> access) {
    if (!access || *access == ChatSpec::Access::NotFound) return apiError(300, "NOT_FOUND : Chat not found");
    return apiError(10, "PERMISSION_DENIED : Permission denied");
}

Reply okJson(std::string body) {
    Reply reply;
    reply.body = std::move(body);
    return reply;
}

/// The whole answer of a fault that replaces the API's answer with an error page or an API error; nullopt for the
/// faults that act on the connection or the timing instead.
std::optional<Reply> faultReply(const Fault& fault, int retryAfterSeconds) {
    switch (fault.kind) {
        case FaultKind::Http500: return Reply{500, "text/html", htmlPage(500, "Internal Server Error"), {}};
        case FaultKind::Http503: return Reply{503, "text/html", htmlPage(503, "Service Temporarily Unavailable"), {}};
        case FaultKind::Http429:
            return Reply{429,
                         "text/html",
                         htmlPage(429, "Too Many Requests"),
                         {{"Retry-After", std::to_string(retryAfterSeconds)}}};
        case FaultKind::NonJson: {
            const bool ok = (fault.variant & 1) != 0;
            return Reply{ok ? 200 : 502, "text/html;charset=utf-8", htmlPage(502, "Bad Gateway"), {}};
        }
        case FaultKind::Error8: return apiError(8, "FLOOD_BLOCKED : Flood blocked");
        case FaultKind::Error2: return apiError(2, "SERVICE : Service temporarily unavailable");
        default: return std::nullopt;
    }
}

/// The JSON object of a POST body; null if the body is not one.
Poco::JSON::Object::Ptr parseObject(const std::string& body) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        const auto value = parser.parse(body);
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) return value.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {}
    return nullptr;
}

/// Fills `content` from a POSTed `message` object; the API error to answer if it is malformed.
std::optional<Reply> readPostedMessage(const Poco::JSON::Object::Ptr& message, SimMessage& content) {
    try {
        if (message->has("text")) {
            const auto text = message->get("text");
            if (!text.isString()) return apiError(100, "PARAM : message.text must be a string");
            content.text = text.toString();
        }
        if (const auto single = message->getObject("attachment")) content.attachment = attachmentFrom(single);
        if (const auto list = message->getArray("attachments")) {
            std::vector<SimAttachment> attachments;
            for (std::size_t i = 0; i < list->size(); ++i) {
                const auto item = list->getObject(static_cast<unsigned>(i));
                if (!item) return apiError(100, "PARAM : message.attachments must hold objects");
                attachments.push_back(attachmentFrom(item));
            }
            content.attachments = std::move(attachments);
        }
        if (message->has("reply_to")) content.replyTo = message->get("reply_to").toString();
    } catch (const Poco::Exception& e) {
        return apiError(100, "PARAM : Invalid message: " + e.message());
    }
    if (!content.text && !content.attachment && !content.attachments)
        return apiError(100, "PARAM : The message has neither text nor attachments");
    return std::nullopt;
}

/// The chat a history or POST request names: the path's /me/messages/CHAT, else ?chat_id=.
std::string messagesChat(const std::string& path, const std::map<std::string, std::string>& params) {
    if (path.size() > kMessagesPath.size() + 1) return path.substr(kMessagesPath.size() + 1);
    if (auto it = params.find("chat_id"); it != params.end()) return it->second;
    return {};
}

bool isMessagesPath(const std::string& path) {
    return path == kMessagesPath || startsWith(path, std::string(kMessagesPath) + "/");
}

/// The logged request this thread is answering (Poco answers one request on one thread), for send(); null for
/// control endpoints.
thread_local LoggedRequest* tCurrent = nullptr;

/// The raw query of a request URI (after '?'), unredacted.
std::string queryOf(const std::string& uri) {
    const auto mark = uri.find('?');
    return mark == std::string::npos ? std::string() : uri.substr(mark + 1);
}

/// Where `token` appears in the request: "uri" (path or query, raw or decoded), "header:NAME" (name or value), "body".
std::vector<std::string> tokenPlaces(const Poco::Net::HTTPServerRequest& request, const std::string& body,
                                     const std::string& token) {
    std::vector<std::string> places;
    if (token.empty()) return places;
    std::string decoded;
    Poco::URI::decode(request.getURI(), decoded);
    if (request.getURI().find(token) != std::string::npos || decoded.find(token) != std::string::npos)
        places.push_back("uri");
    for (const auto& [name, value] : request)
        if (name.find(token) != std::string::npos || value.find(token) != std::string::npos)
            places.push_back("header:" + name);
    if (body.find(token) != std::string::npos) places.push_back("body");
    return places;
}

/// The /_sim/faults answer: the rate and kinds now in force.
std::string faultsJson(const FaultInjector& faults) {
    std::ostringstream body;
    body << "{\"fault_rate\":" << faults.rate() << ",\"kinds\":[";
    const auto now = faults.kinds();
    for (std::size_t i = 0; i < now.size(); ++i) body << (i > 0 ? "," : "") << jsonString(now[i]);
    body << "]}";
    return body.str();
}

}  // namespace

SimEndpoints::SimEndpoints(const SimConfig& config, Dataset& dataset, FaultInjector& faults, RequestStats& stats,
                           RequestLog& log)
    : _inclusive(config.inclusiveBounds),
      _pageCap(static_cast<std::size_t>(std::max(1, config.pageCap))),
      _retryAfterSeconds(config.retryAfterSeconds),
      _delayMs(config.delayMs),
      _botUserId(config.botUserId),
      _dataset(dataset),
      _faults(faults),
      _stats(stats),
      _log(log),
      _media(dataset.media(), faults, config.mediaTrickleMs),
      _token(config.token) {}

void SimEndpoints::setToken(std::string token) {
    std::lock_guard lock(_tokenMutex);
    _token = std::move(token);
}

std::string SimEndpoints::token() const {
    std::lock_guard lock(_tokenMutex);
    return _token;
}

void SimEndpoints::send(Poco::Net::HTTPServerResponse& response, const Reply& reply) {
    if (tCurrent) {  // logged before it is sent: a client that has the answer finds it in the log
        tCurrent->setStatus(reply.status);
        tCurrent->count(reply.body.size());
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.sendBuffer(reply.body.data(), reply.body.size());
}

void SimEndpoints::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    try {
        // Poco writes the header and the body in separate sends: without TCP_NODELAY, Nagle stalls keep-alive clients.
        if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) impl->socket().setNoDelay(true);
        std::string path;
        Params params;
        try {
            const Poco::URI uri(request.getURI());
            path = uri.getPath();
            for (const auto& [name, value] : uri.getQueryParameters()) params.emplace(name, value);
        } catch (const Poco::Exception& e) {
            send(response, plain(400, "okapi-sim: bad request URI: " + e.message()));
            return;
        }
        if (path == "/_sim" || startsWith(path, "/_sim/")) {
            handleControl(request, response, path, params);
        } else if (startsWith(path, "/sim/")) {
            handleControl(request, response, "/_" + path.substr(1), params);
        } else {
            handleLogged(request, response, path, params);
        }
    } catch (const std::exception& e) {
        if (!response.sent()) send(response, plain(500, std::string("okapi-sim: internal error: ") + e.what()));
    }
}

void SimEndpoints::handleLogged(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                const std::string& path, const Params& params) {
    const auto logged = _log.begin(request.getMethod(), path, queryOf(request.getURI()), nowMs());
    tCurrent = logged.get();
    struct Forget {
        ~Forget() { tCurrent = nullptr; }
    } forget;
    if (path == "/me" || startsWith(path, "/me/")) return handleApi(request, response, path, params);
    const auto body = readBody(request);
    logged->setTokenIn(tokenPlaces(request, body.value_or(std::string()), token()));
    if (!startsWith(path, "/media/"))
        return send(response, plain(404, "okapi-sim: no such path " + path +
                                             " (the Graph API is under /me/..., media under /media/, control "
                                             "endpoints under /_sim/...)"));
    _stats.recordMediaRequest();
    _media.handle(request, response, path, params, *logged);
    _stats.recordMediaAnswer(logged->status(), logged->bytes());
}

void SimEndpoints::handleApi(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                             const std::string& path, const Params& params) {
    _stats.record(path, request.getMethod() == "GET" && isMessagesPath(path));
    // Always read the body first: an unread body would poison the next request of a keep-alive connection.
    const auto body = readBody(request);
    if (tCurrent) tCurrent->setTokenIn(tokenPlaces(request, body.value_or(std::string()), token()));
    if (injectFault(_faults.next(), request, response, path, params, body)) return;
    const auto postFault = request.getMethod() == "POST" ? takePostFault() : std::string();
    if (postFault == "500") return send(response, Reply{500, "text/html", htmlPage(500, "Internal Server Error"), {}});
    const Reply reply = api(request, path, params, body);
    if (!postFaulted(postFault, request, response)) send(response, reply);
}

std::string SimEndpoints::takePostFault() {
    std::lock_guard lock(_postFaultMutex);
    return std::exchange(_postFault, std::string());
}

/// After the POST was handled (stored): "stored-500" answers 500 all the same, "lost" drops the connection unanswered.
bool SimEndpoints::postFaulted(const std::string& fault, Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) {
    if (fault == "stored-500") send(response, Reply{500, "text/html", htmlPage(500, "Internal Server Error"), {}});
    if (fault == "lost") resetConnection(request, response);
    return fault == "stored-500" || fault == "lost";
}

bool SimEndpoints::injectFault(const Fault& fault, Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response, const std::string& path, const Params& params,
                               const std::optional<std::string>& body) {
    if (const auto reply = faultReply(fault, _retryAfterSeconds)) {
        send(response, *reply);
        return true;
    }
    switch (fault.kind) {
        case FaultKind::Delay: _faults.sleep(_delayMs); return false;
        case FaultKind::Reset: resetConnection(request, response); return true;
        case FaultKind::Truncated: sendTruncated(request, response, path, params, body); return true;
        default: return false;
    }
}

void SimEndpoints::sendTruncated(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                 const std::string& path, const Params& params,
                                 const std::optional<std::string>& body) {
    const Reply reply = api(request, path, params, body);
    response.setKeepAlive(false);
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    if (tCurrent) {
        tCurrent->setStatus(reply.status);
        tCurrent->count(reply.body.size() / 2);
    }
    std::ostream& out = response.send();
    out.write(reply.body.data(), static_cast<std::streamsize>(reply.body.size() / 2));
    out.flush();
    shutdownConnection(request);
}

Reply SimEndpoints::api(Poco::Net::HTTPServerRequest& request, const std::string& path, const Params& params,
                        const std::optional<std::string>& body) {
    if (!body) return apiError(100, "PARAM : request body too large");
    const auto token = params.find("access_token");
    if (token == params.end() || token->second != this->token())
        return apiError(102, "PARAM_SESSION_EXPIRED : Session expired");

    const std::string& method = request.getMethod();
    if (path == "/me/info" && method == "GET") return info();
    if (path == "/me/chats" && method == "GET") return chats(params);
    if (startsWith(path, kChatPath) && method == "GET") return chat(path.substr(kChatPath.size()));
    if (isMessagesPath(path) && (method == "GET" || method == "POST")) return messages(request, path, params, *body);
    return apiError(3, "METHOD : Unknown method " + method + " " + path);
}

Reply SimEndpoints::messages(Poco::Net::HTTPServerRequest& request, const std::string& path, const Params& params,
                             const std::string& body) {
    const std::string chatId = messagesChat(path, params);
    if (request.getMethod() == "GET") return history(chatId, params);
    const std::string contentType = Poco::toLower(request.getContentType());
    if (!startsWith(contentType, "application/json"))
        return apiError(100, "PARAM : Content-Type application/json;charset=utf-8 is required");
    return post(body, chatId);
}

Reply SimEndpoints::history(const std::string& chatId, const Params& params) {
    if (chatId.empty()) return apiError(100, "PARAM : Missing required parameter chat_id");
    auto number = [&](const char* name, std::int64_t fallback) -> std::optional<std::int64_t> {
        auto it = params.find(name);
        if (it == params.end()) return fallback;
        return parseInt(it->second);
    };
    const auto from = number("from", std::numeric_limits<std::int64_t>::max());
    if (!from) return apiError(100, "PARAM : Invalid parameter from");
    const auto to = number("to", 0);
    if (!to) return apiError(100, "PARAM : Invalid parameter to");
    const auto count = number("count", 50);
    if (!count || *count < 1) return apiError(100, "PARAM : Invalid parameter count");
    if (*from <= *to) return apiError(100, "PARAM : Parameter from must be greater than parameter to");
    const auto access = _dataset.access(chatId);
    if (access != ChatSpec::Access::Ok) return accessError(access);
    const std::size_t limit = std::min<std::size_t>(static_cast<std::size_t>(*count), _pageCap);
    Reply reply;
    reply.body.reserve(limit * 700 + 32);
    const auto includeDeleted = params.find("include_deleted");
    _dataset.appendPage(reply.body, chatId, *from, *to, limit, _inclusive,
                        includeDeleted != params.end() && includeDeleted->second == "true");
    return reply;
}

Reply SimEndpoints::post(const std::string& body, std::string chatId) {
    const Poco::JSON::Object::Ptr root = parseObject(body);
    if (!root) return apiError(100, "PARAM : The request body is not a JSON object");
    std::string bodyChat;
    if (const auto recipient = root->getObject("recipient")) bodyChat = recipient->optValue<std::string>("chat_id", "");
    if (chatId.empty()) chatId = bodyChat;
    if (chatId.empty()) return apiError(100, "PARAM : Missing required parameter chat_id");
    if (!bodyChat.empty() && bodyChat != chatId)
        return apiError(100, "PARAM : recipient.chat_id does not match the chat of the request");
    const auto access = _dataset.access(chatId);
    if (access != ChatSpec::Access::Ok) return accessError(access);
    const auto message = root->getObject("message");
    if (!message) return apiError(100, "PARAM : Missing required parameter message");

    SimMessage content;
    content.senderId = _botUserId;
    content.senderName = kBotName;
    if (auto error = readPostedMessage(message, content)) return std::move(*error);
    detectService(content);
    const std::string mid = _dataset.appendCustom(chatId, std::move(content));
    return okJson("{\"success\":true,\"message_id\":" + jsonString(mid) + "}");
}

Reply SimEndpoints::chats(const Params& params) {
    std::int64_t count = 50;
    if (auto it = params.find("count"); it != params.end()) {
        const auto parsed = parseInt(it->second);
        if (!parsed || *parsed < 1 || *parsed > 100) return apiError(100, "PARAM : Parameter count must be 1..100");
        count = *parsed;
    }
    std::size_t offset = 0;
    if (auto it = params.find("marker"); it != params.end() && !it->second.empty()) {
        const auto decoded = decodeMarker(it->second);
        if (!decoded) return apiError(100, "PARAM : Invalid parameter marker");
        offset = *decoded;
    }
    const auto list = _dataset.listedChats();
    const std::size_t begin = std::min(offset, list.size());
    const std::size_t end = std::min(list.size(), begin + static_cast<std::size_t>(count));
    Reply reply;
    reply.body = "{\"chats\":[";
    for (std::size_t i = begin; i < end; ++i) {
        if (i > begin) reply.body += ',';
        reply.body += chatObject(list[i], false);
    }
    reply.body += ']';
    if (end < list.size()) reply.body += ",\"marker\":" + jsonString(encodeMarker(end));
    reply.body += '}';
    return reply;
}

Reply SimEndpoints::chat(const std::string& chatId) {
    const auto access = _dataset.access(chatId);
    if (access != ChatSpec::Access::Ok) return accessError(access);
    const auto summary = _dataset.summary(chatId);
    if (!summary) return accessError(std::nullopt);
    return okJson(chatObject(*summary, true));
}

Reply SimEndpoints::info() {
    return okJson("{\"name\":\"okarchive test group\",\"group_id\":" + jsonString(_dataset.groupId()) + "}");
}

std::optional<std::string> SimEndpoints::ControlCall::param(const char* name) const {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
}

const std::vector<SimEndpoints::ControlRoute>& SimEndpoints::controlRoutes() {
    static const std::vector<ControlRoute> routes = {
        {"GET", "/_sim/truth", &SimEndpoints::controlTruth},
        {"POST", "/_sim/append", &SimEndpoints::controlAppend},
        {"GET", "/_sim/append", &SimEndpoints::controlAppend},
        {"GET", "/_sim/stats", &SimEndpoints::controlStats},
        {"POST", "/_sim/stats/reset", &SimEndpoints::controlStatsReset},
        {"POST", "/_sim/faults", &SimEndpoints::controlFaults},
        {"POST", "/_sim/token", &SimEndpoints::controlToken},
        {"POST", "/_sim/post_fault", &SimEndpoints::controlPostFault},
        {"GET", "/_sim/requests", &SimEndpoints::controlRequests},
        {"POST", "/_sim/requests/reset", &SimEndpoints::controlRequestsReset},
        {"GET", "/_sim/media-truth", &SimEndpoints::controlMediaTruth},
        {"POST", "/_sim/edit", &SimEndpoints::controlEdit},
        {"POST", "/_sim/delete", &SimEndpoints::controlDelete},
        {"POST", "/_sim/undelete", &SimEndpoints::controlUndelete},
        {"GET", "/_sim/changes", &SimEndpoints::controlChanges},
    };
    return routes;
}

void SimEndpoints::handleControl(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                 const std::string& path, const Params& params) {
    readBody(request);
    const std::string& method = request.getMethod();
    for (const auto& route : controlRoutes()) {
        if (route.method != method || route.path != path) continue;
        (this->*route.handler)(ControlCall{response, params});
        return;
    }
    send(response,
         plain(404,
               "okapi-sim: no control endpoint " + method + " " + path +
                   " (GET truth, POST append, GET stats, POST stats/reset, POST faults, POST token, POST post_fault, "
                   "GET requests, POST requests/reset, GET media-truth)"));
}

void SimEndpoints::controlTruth(const ControlCall& call) {
    const auto chatId = call.param("chat_id");
    if (!chatId) return send(call.response, plain(400, "okapi-sim: /_sim/truth needs chat_id=chat:ID"));
    if (!_dataset.access(*chatId)) return send(call.response, plain(404, "okapi-sim: unknown chat " + *chatId));
    const auto reachable = call.param("reachable");
    const bool reachableOnly = reachable && (*reachable == "1" || *reachable == "true");
    call.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    call.response.setContentType("application/x-ndjson;charset=utf-8");
    call.response.setChunkedTransferEncoding(true);
    std::ostream& out = call.response.send();
    _dataset.writeTruth(*chatId, reachableOnly, _pageCap, [&](const std::string& chunk) {
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    });
    out.flush();
}

void SimEndpoints::controlAppend(const ControlCall& call) {
    const auto chatId = call.param("chat_id");
    if (!chatId) return send(call.response, plain(400, "okapi-sim: /_sim/append needs chat_id=chat:ID"));
    if (!_dataset.access(*chatId)) return send(call.response, plain(404, "okapi-sim: unknown chat " + *chatId));
    if (const auto shapes = call.param("undecodable")) return appendUndecodable(call, *chatId, *shapes);
    std::int64_t count = 1;
    if (const auto text = call.param("count")) {
        const auto parsed = parseInt(*text);
        if (!parsed || *parsed < 0 || *parsed > 10000000)
            return send(call.response, plain(400, "okapi-sim: count must be 0..10000000"));
        count = *parsed;
    }
    _dataset.appendOrdinary(*chatId, static_cast<std::size_t>(count));
    send(call.response, okJson("{\"appended\":" + std::to_string(count) + "}"));
}

namespace {

/// {"<what>":N,"unknown":[mids]} for an edit or deletion call.
std::string changedJson(const char* what, std::size_t asked, const std::vector<std::string>& unknown) {
    std::string list;
    for (const auto& mid : unknown) list += (list.empty() ? "" : ",") + jsonString(mid);
    return "{\"" + std::string(what) + "\":" + std::to_string(asked - unknown.size()) + ",\"unknown\":[" + list + "]}";
}

}  // namespace

void SimEndpoints::controlEdit(const ControlCall& call) {
    const auto chatId = call.param("chat_id");
    const auto mids = splitList(call.param("mid").value_or(""));
    if (!chatId || mids.empty())
        return send(call.response, plain(400, "okapi-sim: /_sim/edit needs chat_id=chat:ID and mid=MID[,MID...]"));
    if (!_dataset.access(*chatId)) return send(call.response, plain(404, "okapi-sim: unknown chat " + *chatId));
    const auto attachments = call.param("attachments").value_or("keep");
    if (attachments != "keep" && attachments != "drop")
        return send(call.response, plain(400, "okapi-sim: attachments is keep or drop"));
    const auto unknown = _dataset.edit(*chatId, mids, call.param("text"), attachments == "drop");
    send(call.response, unknown.size() == mids.size() ? plain(404, "okapi-sim: no such message in " + *chatId)
                                                      : okJson(changedJson("edited", mids.size(), unknown)));
}

void SimEndpoints::controlDelete(const ControlCall& call) { changeDeletion(call, true); }
void SimEndpoints::controlUndelete(const ControlCall& call) { changeDeletion(call, false); }

void SimEndpoints::changeDeletion(const ControlCall& call, bool deleted) {
    const char* path = deleted ? "/_sim/delete" : "/_sim/undelete";
    const auto chatId = call.param("chat_id");
    const auto mids = splitList(call.param("mid").value_or(""));
    if (!chatId || mids.empty())
        return send(call.response,
                    plain(400, std::string("okapi-sim: ") + path + " needs chat_id=chat:ID and mid=MID[,MID...]"));
    if (!_dataset.access(*chatId)) return send(call.response, plain(404, "okapi-sim: unknown chat " + *chatId));
    const auto unknown = _dataset.setDeleted(*chatId, mids, deleted);
    send(call.response, unknown.size() == mids.size()
                            ? plain(404, "okapi-sim: no such message in " + *chatId)
                            : okJson(changedJson(deleted ? "deleted" : "undeleted", mids.size(), unknown)));
}

void SimEndpoints::controlChanges(const ControlCall& call) {
    const auto chatId = call.param("chat_id");
    if (!chatId) return send(call.response, plain(400, "okapi-sim: /_sim/changes needs chat_id=chat:ID"));
    if (!_dataset.access(*chatId)) return send(call.response, plain(404, "okapi-sim: unknown chat " + *chatId));
    send(call.response, Reply{200, "application/x-ndjson;charset=utf-8", _dataset.changesNdjson(*chatId), {}});
}

void SimEndpoints::appendUndecodable(const ControlCall& call, const std::string& chatId, const std::string& shapes) {
    const auto names = splitList(shapes);
    for (const auto& name : names)
        if (name != "seq" && name != "float" && name != "empty-mid" && name != "null")
            return send(call.response, plain(400, "okapi-sim: undecodable shapes are seq, float, empty-mid, null"));
    for (const auto& name : names) {
        SimMessage content;
        content.undecodable = name;
        _dataset.appendCustom(chatId, std::move(content));
    }
    send(call.response, okJson("{\"appended\":" + std::to_string(names.size()) + "}"));
}

void SimEndpoints::controlPostFault(const ControlCall& call) {
    const auto mode = call.param("mode").value_or("");
    if (mode != "lost" && mode != "stored-500" && mode != "500" && !mode.empty())
        return send(call.response, plain(400, "okapi-sim: post_fault mode is lost, stored-500, 500 or empty"));
    {
        std::lock_guard lock(_postFaultMutex);
        _postFault = mode;
    }
    send(call.response, okJson("{\"post_fault\":" + jsonString(mode) + "}"));
}

void SimEndpoints::controlStats(const ControlCall& call) { send(call.response, okJson(_stats.json())); }

void SimEndpoints::controlStatsReset(const ControlCall& call) {
    _stats.reset();
    send(call.response, okJson("{\"reset\":true}"));
}

void SimEndpoints::controlFaults(const ControlCall& call) {
    const auto rateText = call.param("rate");
    const auto rate = rateText ? parseDouble(*rateText) : std::optional<double>(_faults.rate());
    if (!rate) return send(call.response, plain(400, "okapi-sim: rate must be a number 0..1"));
    const auto kindsText = call.param("kinds");
    const auto kinds = kindsText ? splitList(*kindsText) : _faults.kinds();
    try {
        _faults.configure(*rate, kinds);
    } catch (const std::invalid_argument& e) {
        return send(call.response, plain(400, std::string("okapi-sim: ") + e.what()));
    }
    send(call.response, okJson(faultsJson(_faults)));
}

void SimEndpoints::controlRequests(const ControlCall& call) {
    const auto since = parseInt(call.param("since").value_or("0"));
    if (!since || *since < 0) return send(call.response, plain(400, "okapi-sim: since must be a whole number >= 0"));
    Reply reply;
    reply.contentType = "application/x-ndjson;charset=utf-8";
    reply.body = _log.ndjson(static_cast<std::uint64_t>(*since));
    send(call.response, reply);
}

void SimEndpoints::controlRequestsReset(const ControlCall& call) {
    _log.reset();
    send(call.response, okJson("{\"reset\":true}"));
}

void SimEndpoints::controlMediaTruth(const ControlCall& call) {
    send(call.response, okJson(_dataset.media().truthJson()));
}

void SimEndpoints::controlToken(const ControlCall& call) {
    const auto value = call.param("value");
    if (!value) return send(call.response, plain(400, "okapi-sim: /_sim/token needs value=TOKEN"));
    setToken(*value);
    send(call.response, okJson("{\"token_changed\":true}"));
}

}  // namespace okarchive::sim
