#pragma once

#include <string>

#include "sim/SimMessage.h"

namespace okarchive::sim {

/// Appends the message object exactly as the Graph API sends it (escaped in the message's wire style).
void appendWireMessage(std::string& out, const SimMessage& message);

/// Appends the message's ground-truth line in okarchive's NDJSON export format, '\n' included.
void appendTruthLine(std::string& out, const SimMessage& message);

}  // namespace okarchive::sim
