// Generates docs/model.md from the tables (see docs.hpp).
#include "smtpspec/model/docs.hpp"

#include <set>
#include <string>
#include <tuple>

#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/transitions.hpp"

namespace smtpspec::model {
namespace {

// Where a success of each effect leads (RFC 5321 §3.3, §4.1.1; RFC 3207 §4; RFC 4954 §4; RFC 3030 §2).
std::optional<Phase> target(Effect e, Phase from) {
    switch (e) {
        case Effect::none: return std::nullopt;
        case Effect::open_extended:
        case Effect::open_basic: return Phase::ready;
        case Effect::begin_transaction: return Phase::mail;
        case Effect::add_recipient: return Phase::rcpt;
        case Effect::start_data: return Phase::data;
        case Effect::reset: return from == Phase::greeted ? Phase::greeted : Phase::ready;
        case Effect::quit: return Phase::closing;
        case Effect::start_tls: return Phase::tls_pending;
        case Effect::start_auth: return Phase::auth;
        case Effect::chunk: return Phase::bdat;
    }
    return std::nullopt;
}

// A command is in sequence in a phase unless an unconditional precondition row
// there excludes all its success codes.
bool in_sequence(Verb v, Phase p, const CodeSet& success) {
    for (const PreconditionRow& row : precondition_table())
        if (contains(row.verbs, v) && contains(row.phases, p) && row.condition == Condition::always &&
            (row.codes & success).empty())
            return false;
    return true;
}

std::string escape_cell(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += "\\|";
        else out += c;
    }
    return out;
}

}  // namespace

std::string state_diagram() {
    std::string out = "stateDiagram-v2\n";
    out += "    [*] --> connecting\n";
    out += "    connecting --> greeted: 220\n";
    out += "    connecting --> refused: 554\n";
    std::set<std::tuple<Phase, Phase, std::string>> edges;
    const Phase sources[] = {Phase::greeted, Phase::ready, Phase::mail, Phase::rcpt, Phase::bdat, Phase::refused};
    for (const CommandRow& row : command_table()) {
        for (Phase p : sources) {
            if (!contains(session_phases | phases({Phase::refused}), p)) continue;
            if (!in_sequence(row.verb, p, row.success)) continue;
            std::optional<Phase> to = target(row.effect, p);
            if (row.effect == Effect::add_recipient && p == Phase::bdat) to = Phase::bdat;
            if (!to || *to == p) continue;
            std::string code = row.success.to_string();
            if (row.effect == Effect::start_auth) code = "334";
            edges.insert({p, *to, std::string(to_string(row.verb)) + " " + code});
        }
    }
    edges.insert({Phase::bdat, Phase::ready, "BDAT LAST 250"});
    edges.insert({Phase::rcpt, Phase::ready, "BDAT LAST 250"});
    edges.insert({Phase::data, Phase::ready, "CRLF.CRLF then reply"});
    edges.insert({Phase::auth, Phase::ready, "235 or failure"});
    edges.insert({Phase::tls_pending, Phase::greeted, "TLS handshake"});
    for (const auto& [from, to, label] : edges)
        out += "    " + std::string(to_string(from)) + " --> " + std::string(to_string(to)) + ": " + label + "\n";
    out += "    closing --> closed: server closes\n";
    out += "    closed --> [*]\n";
    return out;
}

namespace {

// The rule table's cell of checks: each id as code, or a dash when none covers it.
std::string checks_cell(const Coverage& covered_by, std::string_view rule_name) {
    const auto found = covered_by.find(rule_name);
    if (found == covered_by.end() || found->second.empty()) return "—";
    std::string out;
    for (const std::string& id : found->second) out += (out.empty() ? "`" : ", `") + escape_cell(id) + "`";
    return out;
}

std::string markdown(const Coverage* covered_by) {
    std::string out;
    out += "# The smtpspec model\n\n";
    if (covered_by)
        out += "<!-- Generated from model/src/rules.cpp, model/src/transitions.cpp and the check catalogue "
               "(conformance/src/checks/) by smtpspec::model::model_markdown(); do not edit: "
               "conformance_docs_test fails when this file differs from the code, and "
               "SMTPSPEC_UPDATE_DOCS=1 build/<dir>/conformance/conformance_docs_test rewrites it. -->\n\n";
    else
        out += "<!-- Generated from model/src/rules.cpp and model/src/transitions.cpp by "
               "smtpspec::model::model_markdown(); do not edit. -->\n\n";
    out += "The model is a pure state machine: `expect(state, input)` gives the replies a conforming "
           "server may send, `observe(state, input, reply)` the next state and the findings, "
           "`respond(state, input, policy)` what the reference server answers. Levels follow the RFC "
           "text: MUST only where the RFC puts a MUST on the server for exactly that behaviour, SHOULD "
           "gives a warning, INFO notes what the RFC leaves free. 421 is allowed in reply to any "
           "command (RFC 5321 §3.8).\n\n";
    out += "## States\n\nSuccessful replies move the session as below; any other reply leaves the state "
           "as it was (RFC 5321 §4.1.4), and 421 leads to `closing`.\n\n```mermaid\n";
    out += state_diagram();
    out += "```\n\n";
    out += "## Commands\n\n| Verb | Source | Success | Listed replies | Rule |\n|---|---|---|---|---|\n";
    for (const CommandRow& row : command_table())
        out += "| " + std::string(to_string(row.verb)) + " | RFC " + std::string(row.section) + " | " +
               row.success.to_string() + " | " + row.listed.to_string() + " | `" +
               std::string(rule(row.listing).name) + "` |\n";
    out += "\n## Preconditions\n\nA reply to the command in these phases, under the condition, must lie in "
           "the codes given; otherwise it breaks the rule.\n\n";
    out += "| Rule | Level | Codes |\n|---|---|---|\n";
    for (const PreconditionRow& row : precondition_table())
        out += "| `" + std::string(rule(row.rule).name) + "` | " + std::string(to_string(rule(row.rule).level)) +
               " | " + row.codes.to_string() + " |\n";
    std::size_t must = 0, should = 0, info = 0;
    for (const Rule& r : rules()) (r.level == Level::must ? must : r.level == Level::should ? should : info)++;
    out += "\n## Rules\n\n" + std::to_string(rules().size()) + " rules: " + std::to_string(must) + " MUST, " +
           std::to_string(should) + " SHOULD, " + std::to_string(info) + " INFO.";
    if (covered_by) {
        std::size_t covered = 0;
        for (const Rule& r : rules()) covered += checks_cell(*covered_by, r.name) != "—";
        out += " " + std::to_string(covered) + " of them are covered by a check of `smtpspec run` (the Checks "
               "column; `smtpspec explain ID` describes a check, [checks.md](checks.md) lists them all); the others "
               "are judged whenever a check's session meets them.";
    }
    out += "\n\n";
    out += covered_by ? "| Id | RFC | § | Level | What the model checks | Checks | RFC text |\n|---|---|---|---|---|---|---|\n"
                      : "| Id | RFC | § | Level | What the model checks | RFC text |\n|---|---|---|---|---|---|\n";
    for (const Rule& r : rules()) {
        out += "| `" + std::string(r.name) + "` | " + std::to_string(r.rfc) + " | " + std::string(r.section) +
               " | " + std::string(to_string(r.level)) + " | " + escape_cell(r.summary) + " | ";
        if (covered_by) out += checks_cell(*covered_by, r.name) + " | ";
        out += escape_cell(r.quote) + " |\n";
    }
    return out;
}

}  // namespace

std::string model_markdown() { return markdown(nullptr); }

std::string model_markdown(const Coverage& covered_by) { return markdown(&covered_by); }

}  // namespace smtpspec::model
