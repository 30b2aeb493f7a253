#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/Dataset.h"
#include "sim/FaultInjector.h"
#include "sim/MediaEndpoint.h"
#include "sim/RequestLog.h"
#include "sim/RequestStats.h"
#include "sim/SimConfig.h"
#include "sim/SimHttp.h"

namespace okarchive::sim {

/// A complete HTTP answer, built before anything is sent (so faults can mangle it).
struct Reply {
    int status = 200;
    std::string contentType = "application/json;charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Serves one HTTP request: the Graph API under /me/... (token, faults, stats), media under /media/ (MediaEndpoint),
/// and the control endpoints under /_sim/ (also reachable as /sim/). Every request but control ones is logged.
/// Thread-safe; one instance serves every connection.
class SimEndpoints {
public:
    SimEndpoints(const SimConfig& config, Dataset& dataset, FaultInjector& faults, RequestStats& stats,
                 RequestLog& log);

    /// Answers the request (never throws for request errors; they become HTTP or API errors).
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    /// Changes the accepted access_token.
    void setToken(std::string token);

    /// The accepted access_token.
    std::string token() const;

private:
    using Params = std::map<std::string, std::string>;

    /// One request to a control endpoint: where to answer and its query parameters.
    struct ControlCall {
        Poco::Net::HTTPServerResponse& response;
        const Params& params;
        std::optional<std::string> param(const char* name) const;
    };
    using ControlHandler = void (SimEndpoints::*)(const ControlCall& call);
    struct ControlRoute {
        std::string_view method;
        std::string_view path;
        ControlHandler handler;
    };
    /// The control endpoints, keyed by method and path.
    static const std::vector<ControlRoute>& controlRoutes();

    /// API or media (or an unknown path): logged from its start, answered.
    void handleLogged(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                      const std::string& path, const Params& params);
    void handleApi(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const std::string& path, const Params& params);
    /// Answers with `fault` instead of the API if it is a failure that replaces the answer; true if it did.
    bool injectFault(const Fault& fault, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                     const std::string& path, const Params& params, const std::optional<std::string>& body);
    /// Sends half of the API answer under a Content-Length for all of it, then shuts the connection down.
    void sendTruncated(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                       const std::string& path, const Params& params, const std::optional<std::string>& body);
    void handleControl(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                       const std::string& path, const Params& params);
    void controlTruth(const ControlCall& call);
    void controlAppend(const ControlCall& call);
    void controlStats(const ControlCall& call);
    void controlStatsReset(const ControlCall& call);
    void controlFaults(const ControlCall& call);
    void controlToken(const ControlCall& call);
    void controlRequests(const ControlCall& call);
    void controlRequestsReset(const ControlCall& call);
    void controlMediaTruth(const ControlCall& call);
    void controlEdit(const ControlCall& call);
    void controlDelete(const ControlCall& call);
    void controlUndelete(const ControlCall& call);
    void controlChanges(const ControlCall& call);
    /// /_sim/delete and /_sim/undelete.
    void changeDeletion(const ControlCall& call, bool deleted);

    Reply api(Poco::Net::HTTPServerRequest& request, const std::string& path, const Params& params,
              const std::optional<std::string>& body);
    Reply messages(Poco::Net::HTTPServerRequest& request, const std::string& path, const Params& params,
                   const std::string& body);
    Reply history(const std::string& chatId, const Params& params);
    Reply post(const std::string& body, std::string chatId);
    Reply chats(const Params& params);
    Reply chat(const std::string& chatId);
    Reply info();
    static void send(Poco::Net::HTTPServerResponse& response, const Reply& reply);

    const bool _inclusive;
    const std::size_t _pageCap;
    const int _retryAfterSeconds;
    const int _delayMs;
    const std::string _botUserId;
    Dataset& _dataset;
    FaultInjector& _faults;
    RequestStats& _stats;
    RequestLog& _log;
    MediaEndpoint _media;
    std::string takePostFault();  ///< the one-shot fault for the next POST ("" for none)
    bool postFaulted(const std::string& fault, Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response);
    void controlPostFault(const ControlCall& call);
    void appendUndecodable(const ControlCall& call, const std::string& chatId, const std::string& shapes);

    std::mutex _postFaultMutex;
    std::string _postFault;
    mutable std::mutex _tokenMutex;
    std::string _token;
};

}  // namespace okarchive::sim
