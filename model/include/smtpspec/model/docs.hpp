// The model as a document: docs/model.md is generated from the rule table and
// the transition tables, so that it cannot drift from the code (a test compares
// the committed file with this output).
#pragma once

#include <string>

namespace smtpspec::model {

// The whole of docs/model.md: the state diagram (Mermaid, derived from the
// command and precondition tables), the command table and the rule table.
std::string model_markdown();

// The state diagram alone, as Mermaid `stateDiagram-v2` source.
std::string state_diagram();

}  // namespace smtpspec::model
