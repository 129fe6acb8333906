// The mutation matrix: the whole catalogue, with --pedantic, against the
// reference server with each fault switched on (server/faults.hpp). A fault is
// caught when a check fails or warns on the rule the fault breaks (fail for
// MUST, warn for SHOULD, and -- pedantic -- warn for a rule the RFC leaves to
// the server); a finding of a check on any other rule is a false alarm.
#pragma once

#include <string>
#include <vector>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/conformance/server/faults.hpp"

namespace smtpspec::conformance {

struct FaultRow {
    const server::FaultInfo* fault = nullptr;
    std::vector<std::string> catching;      // ids of the checks that caught it
    std::vector<std::string> false_alarms;  // "id: rule: explanation" of findings on other rules
    bool caught() const { return !catching.empty(); }
};

struct MutationMatrix {
    std::vector<FaultRow> rows;  // fault order
    std::size_t caught() const;
    double kill_rate() const;  // caught / faults
};

// Runs the catalogue in each fault's profile against the in-process server
// with that fault (recipient and credentials as the reference policy accepts).
MutationMatrix mutation_matrix(unsigned jobs = 4);

// docs/mutation.md: the kill rate and, per fault, the rule it breaks and the checks that catch it.
std::string mutation_markdown(const MutationMatrix& matrix);

}  // namespace smtpspec::conformance
