// The catalogue of real-world deviations lenient mode accepts, each by the
// stable id that parse results report (Deviation::id).
#pragma once

#include <string>
#include <vector>

namespace smtpspec::grammar {

struct DeviationInfo {
    std::string id;
    std::string message;  // what is accepted, with the RFC section it departs from
    bool operator==(const DeviationInfo&) const = default;
};

// Every deviation any parse function may report, once each, sorted by id.
std::vector<DeviationInfo> deviation_catalogue();

}  // namespace smtpspec::grammar
