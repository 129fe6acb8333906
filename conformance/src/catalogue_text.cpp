// The catalogue as text for `smtpspec list`, docs/checks.md and `smtpspec explain`.
#include "smtpspec/conformance/catalogue_text.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "report_sections.hpp"
#include "wrap.hpp"

namespace smtpspec::conformance {
namespace {

using json = nlohmann::ordered_json;

constexpr model::Profile profile_order[] = {model::Profile::relay, model::Profile::submission,
                                            model::Profile::submissions};

// The titles of the RFCs check ids cite, as their first pages give them.
std::string_view rfc_title(unsigned rfc) {
    switch (rfc) {
        case 1870: return "SMTP Service Extension for Message Size Declaration";
        case 2034: return "SMTP Service Extension for Returning Enhanced Error Codes";
        case 2920: return "SMTP Service Extension for Command Pipelining";
        case 3030: return "SMTP Service Extensions for Transmission of Large and Binary MIME Messages";
        case 3207: return "SMTP Service Extension for Secure SMTP over Transport Layer Security";
        case 3463: return "Enhanced Mail System Status Codes";
        case 4954: return "SMTP Service Extension for Authentication";
        case 5321: return "Simple Mail Transfer Protocol";
        case 6152: return "SMTP Service Extension for 8-bit MIME Transport";
        case 6409: return "Message Submission for Mail";
        case 6531: return "SMTP Extension for Internationalized Email";
        case 7568: return "Deprecating Secure Sockets Layer Version 3.0";
        case 7817: return "Updated Transport Layer Security (TLS) Server Identity Check Procedure for Email-Related Protocols";
        case 8314: return "Cleartext Considered Obsolete: Use of Transport Layer Security (TLS) for Email Submission and Access";
        case 8996: return "Deprecating TLS 1.0 and TLS 1.1";
        default: return "";
    }
}

std::string rfc_heading(unsigned rfc) {
    std::string out = "RFC " + std::to_string(rfc);
    if (auto const title = rfc_title(rfc); !title.empty()) out += " — " + std::string(title);
    return out;
}

struct NeedText {
    Need need;
    std::string_view option;  // short, for the list
    std::string_view meaning; // for explain
};
constexpr NeedText need_texts[] = {
    {need_recipient, "--rcpt", "--rcpt ADDRESS: it completes a message, delivered to that recipient only"},
    {need_credentials, "--user", "--user NAME and a password (--password-file or SMTPSPEC_PASSWORD): it authenticates"},
    {need_slow, "--slow", "--slow: it takes minutes"},
};

std::string level_text(model::Level level) {
    switch (level) {
        case model::Level::must: return "MUST: a broken rule fails the check";
        case model::Level::should: return "SHOULD: a broken rule is a warning";
        case model::Level::info: return "INFO: what the server does is noted, never failed";
    }
    return {};
}

std::string cell(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}

std::string pad(std::string_view s, std::size_t width) {
    std::string out(s);
    if (out.size() < width) out.append(width - out.size(), ' ');
    return out;
}

std::vector<Grouped<Check>> sections(std::span<const Check> checks) {
    return group_by_section(checks, [](const Check& c) { return c.id; });
}

// The checks grouped by RFC number, in number order.
std::map<unsigned, std::vector<const Check*>> by_rfc(std::span<const Check> checks) {
    std::map<unsigned, std::vector<const Check*>> out;
    for (const Grouped<Check>& g : sections(checks)) {
        auto& list = out[g.section.rfc];
        list.insert(list.end(), g.items.begin(), g.items.end());
    }
    return out;
}

struct LevelCounts {
    std::size_t must = 0, should = 0, info = 0;
};
LevelCounts count_levels(std::span<const Check> checks) {
    LevelCounts n;
    for (const Check& c : checks) {
        switch (level_of(c)) {
            case model::Level::must: ++n.must; break;
            case model::Level::should: ++n.should; break;
            case model::Level::info: ++n.info; break;
        }
    }
    return n;
}

std::string totals(std::span<const Check> checks) {
    LevelCounts const n = count_levels(checks);
    return std::to_string(checks.size()) + (checks.size() == 1 ? " check" : " checks") + " (" +
           std::to_string(n.must) + " MUST, " + std::to_string(n.should) + " SHOULD, " + std::to_string(n.info) +
           " INFO)";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t const above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string_view slug_of(std::string_view id) {
    auto const slash = id.rfind('/');
    return slash == std::string_view::npos ? id : id.substr(slash + 1);
}

// "rfc5321/4.1.4" of "rfc5321/4.1.4/x"; empty when the id has no section.
std::string_view section_part(std::string_view id) {
    auto const slash = id.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : id.substr(0, slash);
}

}  // namespace

std::string profiles_text(std::uint8_t profiles) {
    if ((profiles & all_profiles) == all_profiles) return "all";
    std::string out;
    for (model::Profile p : profile_order)
        if (applies(profiles, p)) out += (out.empty() ? "" : ", ") + std::string(model::to_string(p));
    return out.empty() ? "none" : out;
}

std::string needs_text(std::uint8_t needs) {
    std::string out;
    for (const NeedText& n : need_texts)
        if (needs & n.need) out += (out.empty() ? "" : ", ") + std::string(n.option);
    return out.empty() ? "nothing" : out;
}

std::string list_text(std::span<const Check> checks) {
    std::size_t id_width = 0, profile_width = 0;
    for (const Check& c : checks) {
        id_width = std::max(id_width, c.id.size());
        profile_width = std::max(profile_width, profiles_text(c.profiles).size());
    }
    std::string out;
    for (const Grouped<Check>& g : sections(checks)) {
        out += (out.empty() ? "" : "\n") + g.section.text() + "\n";
        for (const Check* c : g.items) {
            out += "  " + pad(c->id, id_width) + "  " + pad(model::to_string(level_of(*c)), 6) + "  " +
                   pad(profiles_text(c->profiles), profile_width) + "  " + std::string(c->title);
            if (c->needs != need_nothing) out += " [needs " + needs_text(c->needs) + "]";
            out += "\n";
        }
    }
    out += (out.empty() ? "" : "\n") + totals(checks) + "; 'smtpspec explain ID' describes one.\n";
    return out;
}

std::string list_json(std::span<const Check> checks) {
    json out = json::array();
    for (const Check& c : checks) {
        Section const s = section_of(c.id);
        json profiles = json::array(), needs = json::array(), rules = json::array();
        for (model::Profile p : profile_order)
            if (applies(c.profiles, p)) profiles.push_back(model::to_string(p));
        for (const NeedText& n : need_texts)
            if (c.needs & n.need) needs.push_back(n.option);
        for (std::string_view name : c.rules) {
            json rule{{"id", name}};
            if (auto const r = find_any_rule(name)) {
                rule["rfc"] = r->rfc;
                rule["section"] = r->section;
                rule["level"] = model::to_string(r->level);
            }
            rules.push_back(std::move(rule));
        }
        out.push_back(json{{"id", c.id},
                           {"title", c.title},
                           {"section", {{"rfc", s.rfc}, {"section", s.section}}},
                           {"level", model::to_string(level_of(c))},
                           {"profiles", std::move(profiles)},
                           {"needs", std::move(needs)},
                           {"rules", std::move(rules)},
                           {"sends", c.sends},
                           {"accepts", c.accepts}});
    }
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string list_markdown(std::span<const Check> checks) {
    std::string out = "# Checks\n\n";
    out += "<!-- Generated from the check catalogue (conformance/src/checks/) by "
           "smtpspec::conformance::list_markdown(); do not edit: conformance_docs_test fails when this file "
           "differs from the code, and SMTPSPEC_UPDATE_DOCS=1 build/<dir>/conformance/conformance_docs_test "
           "rewrites it. -->\n\n";
    out += "`smtpspec run` runs these checks against a server. Each one drives one or more SMTP sessions, and "
           "the model judges every reply the server sends ([model.md](model.md)); the verdict comes from the "
           "rules in the Rules column: a broken MUST fails the check, a broken SHOULD is a warning, an INFO rule "
           "only notes what the server did. A check that does not apply (an extension the server does not "
           "advertise) is skipped, and one that needs something the run was not given (Needs: `--rcpt`, `--user` "
           "and a password, `--slow`) is skipped naming the option. Profiles: `relay` (port 25), `submission` "
           "(port 587, RFC 6409), `submissions` (port 465, implicit TLS, RFC 8314). `smtpspec explain ID` prints "
           "a check with the RFC's words for each of its rules; `smtpspec list` prints this list.\n\n";
    out += totals(checks) + ".\n";
    for (const auto& [rfc, list] : by_rfc(checks)) {
        out += "\n## " + rfc_heading(rfc) + "\n\n";
        out += "| Id | Title | Level | Profiles | Needs | Rules |\n|---|---|---|---|---|---|\n";
        for (const Check* c : list) {
            std::string rules;
            for (std::string_view name : c->rules) rules += (rules.empty() ? "`" : ", `") + cell(name) + "`";
            out += "| `" + cell(c->id) + "` | " + cell(c->title) + " | " + std::string(model::to_string(level_of(*c))) +
                   " | " + profiles_text(c->profiles) + " | " + (c->needs ? needs_text(c->needs) : "—") + " | " +
                   (rules.empty() ? "—" : rules) + " |\n";
        }
    }
    return out;
}

model::Coverage rule_coverage(std::span<const Check> checks) {
    model::Coverage out;
    for (const Check& c : checks)
        for (std::string_view rule : c.rules) {
            auto& ids = out[std::string(rule)];
            if (std::find(ids.begin(), ids.end(), c.id) == ids.end()) ids.emplace_back(c.id);
        }
    return out;
}

std::string explain(const Check& c) {
    Section const s = section_of(c.id);
    std::string out = std::string(c.id) + "\n" + wrap(c.title, "  ") + "\n";
    out += "Section:   " + s.text();
    if (auto const title = rfc_title(s.rfc); !title.empty()) out += " (" + std::string(title) + ")";
    out += "\nLevel:     " + level_text(level_of(c)) + "\n";
    std::string profiles;
    for (model::Profile p : profile_order)
        if (applies(c.profiles, p)) profiles += (profiles.empty() ? "" : ", ") + std::string(model::to_string(p));
    out += "Profiles:  " + (profiles.empty() ? std::string("none") : profiles) + "\n";
    if (c.needs == need_nothing) {
        out += "Needs:     nothing\n";
    } else {
        out += "Needs:\n";
        for (const NeedText& n : need_texts)
            if (c.needs & n.need) out += wrap(n.meaning, "  ");
    }

    out += "\nRules the verdict is judged on:\n";
    if (c.rules.empty()) out += "  none\n";
    for (std::string_view name : c.rules) {
        auto const r = find_any_rule(name);
        if (!r) {
            out += "\n  " + std::string(name) + " (not in the rule tables)\n";
            continue;
        }
        out += "\n  " + std::string(r->name) + " (RFC " + std::to_string(r->rfc) + " §" + std::string(r->section) +
               ", " + std::string(model::to_string(r->level)) + ")\n";
        if (!r->summary.empty()) out += wrap(r->summary, "    ");
        if (!r->quote.empty()) out += wrap("\"" + std::string(r->quote) + "\"", "    > ");
    }
    if (!c.sends.empty()) out += "\nSends:\n" + wrap(c.sends, "  ");
    if (!c.accepts.empty()) out += "\nAccepts:\n" + wrap(c.accepts, "  ");
    return out;
}

std::vector<std::string_view> closest_ids(std::string_view id, std::span<const Check> checks, std::size_t limit) {
    constexpr std::size_t max_compared = 256;  // a longer argument is no id: compare its start only
    id = id.substr(0, std::min(id.size(), max_compared));
    std::string_view const slug = slug_of(id), section = section_part(id);
    struct Candidate {
        int tier;
        std::size_t distance;
        std::string_view id;
    };
    std::vector<Candidate> found;
    for (const Check& c : checks) {
        std::string_view const their_slug = slug_of(c.id);
        std::size_t const distance = edit_distance(id, c.id.substr(0, std::min(c.id.size(), max_compared)));
        int tier = -1;
        if (!slug.empty() && their_slug == slug) tier = 0;
        else if (slug.size() >= 3 && (their_slug.find(slug) != std::string_view::npos ||
                                      slug.find(their_slug) != std::string_view::npos))
            tier = 1;
        else if (distance <= std::max<std::size_t>(3, id.size() / 4)) tier = 2;
        else if (!section.empty() && section_part(c.id) == section) tier = 3;
        if (tier >= 0) found.push_back({tier, distance, c.id});
    }
    std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        return a.tier != b.tier ? a.tier < b.tier : a.distance < b.distance;
    });
    std::vector<std::string_view> out;
    for (const Candidate& c : found) {
        if (out.size() == limit) break;
        out.push_back(c.id);
    }
    return out;
}

}  // namespace smtpspec::conformance
