// The JSON report; docs/report-schema.json describes it, and the report test
// validates this output against that schema.
#include <nlohmann/json.hpp>

#include "smtpspec/conformance/report.hpp"

#ifndef SMTPSPEC_VERSION
#define SMTPSPEC_VERSION "unversioned"
#endif

namespace smtpspec::conformance {
namespace {

using json = nlohmann::ordered_json;

json to_json(const CertificateFacts& c) {
    return json{{"subject", c.subject},
                {"issuer", c.issuer},
                {"not_before", c.not_before},
                {"not_after", c.not_after},
                {"subject_alt_names", c.subject_alt_names}};
}

json to_json(const std::optional<TlsFacts>& tls) {
    if (!tls) return nullptr;
    return json{{"version", tls->version},
                {"cipher", tls->cipher},
                {"certificate", tls->certificate ? to_json(*tls->certificate) : json(nullptr)},
                {"chain_verified", tls->chain_verified},
                {"verify_error", tls->verify_error},
                {"host_matches", tls->host_matches},
                {"verified", tls->verified()}};
}

json to_json(const Counts& c) {
    return json{{"pass", c.pass}, {"fail", c.fail}, {"warn", c.warn},
                {"info", c.info}, {"skip", c.skip}, {"error", c.error}};
}

json to_json(const Observation& o) {
    return json{{"rule", o.rule},
                {"rfc", o.rfc},
                {"section", o.section},
                {"level", model::to_string(o.level)},
                {"explanation", o.explanation},
                {"expected", o.expected},
                {"actual", o.actual},
                {"excerpt", o.excerpt}};
}

json to_json(const std::vector<Observation>& observations) {
    json out = json::array();
    for (const Observation& o : observations) out.push_back(to_json(o));
    return out;
}

json to_json(const CheckResult& r) {
    std::string_view const id = r.check ? r.check->id : std::string_view();
    Section const section = section_of(id);
    json rules = json::array();
    if (r.check)
        for (std::string_view rule : r.check->rules) rules.push_back(rule);
    return json{{"id", id},
                {"title", r.check ? r.check->title : std::string_view()},
                {"section", {{"rfc", section.rfc}, {"section", section.section}}},
                {"level", r.check ? model::to_string(level_of(*r.check)) : model::to_string(model::Level::info)},
                {"verdict", to_string(r.verdict)},
                {"reason", r.reason},
                {"rules", std::move(rules)},
                {"findings", to_json(r.findings)},
                {"other", to_json(r.other)},
                {"transcript", r.transcript},
                {"tls", to_json(r.tls)},
                {"duration_ms", r.duration.count()}};
}

json to_json(const RunReport& report) {
    json checks = json::array();
    for (const CheckResult& r : report.results) checks.push_back(to_json(r));
    return json{{"target", report.target},
                {"profile", model::to_string(report.profile)},
                {"pedantic", report.pedantic},
                {"tls", to_json(report.tls)},
                {"duration_ms", report.duration.count()},
                {"counts", to_json(report.counts())},
                {"checks", std::move(checks)}};
}

}  // namespace

std::string_view smtpspec_version() noexcept { return SMTPSPEC_VERSION; }

std::string to_json(std::span<const RunReport> reports) {
    json runs = json::array();
    for (const RunReport& report : reports) runs.push_back(to_json(report));
    json const doc{{"smtpspec", smtpspec_version()}, {"runs", std::move(runs)}};
    // Server bytes that are not UTF-8 become U+FFFD rather than an exception.
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace smtpspec::conformance
