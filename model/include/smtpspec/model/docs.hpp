// The model as a document: docs/model.md is generated from the rule table and
// the transition tables, so that it cannot drift from the code. The committed
// file also names, for each rule, the checks of the conformance catalogue that
// cover it; the model does not know the catalogue, so that column is handed in
// (conformance/test/docs_test.cpp compares the committed file with the output).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace smtpspec::model {

// Rule name -> the ids of the checks whose verdict is judged on that rule.
using Coverage = std::map<std::string, std::vector<std::string>, std::less<>>;

// The whole of docs/model.md: the state diagram (Mermaid, derived from the
// command and precondition tables), the command table and the rule table.
// Without `covered_by` the rule table has no column of checks.
std::string model_markdown();
std::string model_markdown(const Coverage& covered_by);

// The state diagram alone, as Mermaid `stateDiagram-v2` source.
std::string state_diagram();

}  // namespace smtpspec::model
