// JSON of the AST. The field names and shapes are the ones docs/ast-json.md
// documents; a change here is a change of that document.
#include "smtpspec/grammar/json.hpp"

#include <cstdio>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace smtpspec::grammar {
namespace {

// Insertion order is the documented field order.
using json = nlohmann::ordered_json;

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

std::string text(json const& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json optional_string(std::optional<std::string> const& s) {
    return s ? json(*s) : json(nullptr);
}

std::string dotted(std::array<std::uint8_t, 4> const& o) {
    return std::to_string(o[0]) + "." + std::to_string(o[1]) + "." + std::to_string(o[2]) + "." +
           std::to_string(o[3]);
}

std::string hex_groups(std::vector<std::uint16_t> const& groups) {
    std::string out;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(groups[i]));
        if (i) out += ':';
        out += buf;
    }
    return out;
}

// The address as RFC 5321 §4.1.3 IPv6-addr writes it, from the groups as parsed.
std::string ipv6_text(ast::IPv6Literal const& a) {
    using Form = ast::IPv6Literal::Form;
    std::string out = hex_groups(a.head);
    switch (a.form) {
        case Form::full: break;
        case Form::comp: out += "::" + hex_groups(a.tail); break;
        case Form::v4full: out += ":"; break;
        case Form::v4comp:
            out += "::" + hex_groups(a.tail);
            if (!a.tail.empty()) out += ":";
            break;
    }
    if (a.v4) out += dotted(*a.v4);
    return out;
}

const char* form_name(ast::IPv6Literal::Form f) {
    switch (f) {
        case ast::IPv6Literal::Form::full: return "full";
        case ast::IPv6Literal::Form::comp: return "comp";
        case ast::IPv6Literal::Form::v4full: return "v4full";
        case ast::IPv6Literal::Form::v4comp: return "v4comp";
    }
    return "full";
}

json j_of(ast::Domain const& d) {
    std::string name;
    for (std::size_t i = 0; i < d.labels.size(); ++i) {
        if (i) name += '.';
        name += d.labels[i];
    }
    return json{{"type", "domain"}, {"name", name}, {"labels", d.labels}};
}

json j_of(ast::IPv4Literal const& a) {
    json octets = json::array();
    for (auto o : a.octets) octets.push_back(static_cast<unsigned>(o));
    return json{{"type", "ipv4"}, {"address", dotted(a.octets)}, {"octets", octets}};
}

json j_of(ast::IPv6Literal const& a) {
    json v4 = nullptr;
    if (a.v4) {
        v4 = json::array();
        for (auto o : *a.v4) v4.push_back(static_cast<unsigned>(o));
    }
    return json{{"type", "ipv6"}, {"address", ipv6_text(a)}, {"form", form_name(a.form)},
                {"head", a.head},  {"tail", a.tail},         {"v4", v4}};
}

json j_of(ast::GeneralLiteral const& a) {
    return json{{"type", "general"}, {"tag", a.tag}, {"content", a.content}};
}

json j_of(ast::AddressLiteral const& a) {
    return std::visit([](auto const& x) { return j_of(x); }, a);
}

json j_of(ast::Host const& h) {
    return std::visit([](auto const& x) { return j_of(x); }, h);
}

json j_of(ast::LocalPart const& l) { return json{{"value", l.value}, {"quoted", l.quoted}}; }

json j_of(ast::Mailbox const& m) { return json{{"local_part", j_of(m.local)}, {"host", j_of(m.host)}}; }

json j_of(ast::Path const& p) {
    json route = json::array();
    for (auto const& d : p.source_route) route.push_back(j_of(d));
    return json{{"source_route", route}, {"mailbox", j_of(p.mailbox)}};
}

json j_of(ast::ReversePath const& r) {
    if (!r.path) return json{{"null", true}, {"path", nullptr}};
    return json{{"null", false}, {"path", j_of(*r.path)}};
}

json j_of(ast::ForwardPath const& f) {
    if (!f.path) return json{{"bare_postmaster", true}, {"path", nullptr}};
    return json{{"bare_postmaster", false}, {"path", j_of(*f.path)}};
}

const char* body_name(ast::BodyParam::Type t) {
    switch (t) {
        case ast::BodyParam::Type::seven_bit: return "7BIT";
        case ast::BodyParam::Type::eight_bit_mime: return "8BITMIME";
        case ast::BodyParam::Type::binary_mime: return "BINARYMIME";
    }
    return "7BIT";
}

json j_of(ast::Param const& p) {
    return std::visit(
        overloaded{
            [](ast::SizeParam const& s) { return json{{"type", "size"}, {"keyword", "SIZE"}, {"size", s.octets}}; },
            [](ast::BodyParam const& b) {
                return json{{"type", "body"}, {"keyword", "BODY"}, {"body", body_name(b.type)}};
            },
            [](ast::SmtpUtf8Param const&) { return json{{"type", "smtputf8"}, {"keyword", "SMTPUTF8"}}; },
            [](ast::AuthParam const& a) { return json{{"type", "auth"}, {"keyword", "AUTH"}, {"mailbox", a.mailbox}}; },
            [](ast::RetParam const& r) {
                return json{{"type", "ret"},
                            {"keyword", "RET"},
                            {"ret", r.type == ast::RetParam::Type::full ? "FULL" : "HDRS"}};
            },
            [](ast::EnvidParam const& e) { return json{{"type", "envid"}, {"keyword", "ENVID"}, {"envid", e.envid}}; },
            [](ast::NotifyParam const& n) {
                return json{{"type", "notify"},        {"keyword", "NOTIFY"},    {"never", n.never},
                            {"success", n.success},    {"failure", n.failure},   {"delay", n.delay}};
            },
            [](ast::OrcptParam const& o) {
                return json{{"type", "orcpt"}, {"keyword", "ORCPT"}, {"addr_type", o.addr_type}, {"address", o.address}};
            },
            [](ast::GenericParam const& g) {
                return json{{"type", "generic"}, {"keyword", g.keyword}, {"value", optional_string(g.value)}};
            },
        },
        p);
}

json params(std::vector<ast::Param> const& ps) {
    json out = json::array();
    for (auto const& p : ps) out.push_back(j_of(p));
    return out;
}

json j_of(ast::Command const& c) {
    return std::visit(
        overloaded{
            [](ast::Ehlo const& e) { return json{{"command", "EHLO"}, {"host", j_of(e.host)}}; },
            [](ast::Helo const& h) { return json{{"command", "HELO"}, {"domain", j_of(h.domain)}}; },
            [](ast::Mail const& m) { return json{{"command", "MAIL"}, {"from", j_of(m.from)}, {"params", params(m.params)}}; },
            [](ast::Rcpt const& r) { return json{{"command", "RCPT"}, {"to", j_of(r.to)}, {"params", params(r.params)}}; },
            [](ast::Data const&) { return json{{"command", "DATA"}}; },
            [](ast::Rset const&) { return json{{"command", "RSET"}}; },
            [](ast::Vrfy const& v) { return json{{"command", "VRFY"}, {"value", v.value}, {"quoted", v.quoted}}; },
            [](ast::Expn const& e) { return json{{"command", "EXPN"}, {"value", e.value}, {"quoted", e.quoted}}; },
            [](ast::Help const& h) {
                return json{{"command", "HELP"}, {"topic", optional_string(h.topic)}, {"quoted", h.quoted}};
            },
            [](ast::Noop const& n) {
                return json{{"command", "NOOP"}, {"value", optional_string(n.value)}, {"quoted", n.quoted}};
            },
            [](ast::Quit const&) { return json{{"command", "QUIT"}}; },
            [](ast::StartTls const&) { return json{{"command", "STARTTLS"}}; },
            [](ast::Auth const& a) {
                return json{{"command", "AUTH"},
                            {"mechanism", a.mechanism},
                            {"initial_response", optional_string(a.initial_response)}};
            },
            [](ast::Bdat const& b) { return json{{"command", "BDAT"}, {"size", b.size}, {"last", b.last}}; },
        },
        c);
}

json j_of(ast::EnhancedCode const& e) {
    return json{{"class", e.cls},
                {"subject", e.subject},
                {"detail", e.detail},
                {"text", std::to_string(e.cls) + "." + std::to_string(e.subject) + "." + std::to_string(e.detail)}};
}

json j_of(ast::ReplyLine const& l) {
    return json{{"enhanced", l.enhanced ? j_of(*l.enhanced) : json(nullptr)}, {"text", l.text}};
}

json j_of(ast::Reply const& r) {
    json lines = json::array();
    for (auto const& l : r.lines) lines.push_back(j_of(l));
    return json{{"code", r.code}, {"lines", lines}};
}

json j_of(ast::Greeting const& g) {
    return json{{"host", j_of(g.host)}, {"text", g.text}, {"more", g.more}};
}

json j_of(ast::EhloLine const& l) { return json{{"keyword", l.keyword}, {"params", l.params}}; }

json j_of(ast::EhloReply const& r) {
    json lines = json::array();
    for (auto const& l : r.lines) lines.push_back(j_of(l));
    return json{{"host", j_of(r.host)}, {"greet", r.greet}, {"lines", lines}};
}

json j_of(ParseError const& e) {
    return json{{"kind", to_string(e.kind)}, {"offset", e.offset}, {"expected", e.expected}, {"message", e.message}};
}

json j_of(Deviation const& d) { return json{{"id", d.id}, {"offset", d.offset}, {"message", d.message}}; }

}  // namespace

const char* to_string(ErrorKind k) {
    switch (k) {
        case ErrorKind::syntax: return "syntax";
        case ErrorKind::limit: return "limit";
        case ErrorKind::encoding: return "encoding";
    }
    return "syntax";
}

std::string to_json(ast::Domain const& x) { return text(j_of(x)); }
std::string to_json(ast::IPv4Literal const& x) { return text(j_of(x)); }
std::string to_json(ast::IPv6Literal const& x) { return text(j_of(x)); }
std::string to_json(ast::GeneralLiteral const& x) { return text(j_of(x)); }
std::string to_json(ast::AddressLiteral const& x) { return text(j_of(x)); }
std::string to_json(ast::Host const& x) { return text(j_of(x)); }
std::string to_json(ast::LocalPart const& x) { return text(j_of(x)); }
std::string to_json(ast::Mailbox const& x) { return text(j_of(x)); }
std::string to_json(ast::Path const& x) { return text(j_of(x)); }
std::string to_json(ast::ReversePath const& x) { return text(j_of(x)); }
std::string to_json(ast::ForwardPath const& x) { return text(j_of(x)); }
std::string to_json(ast::Param const& x) { return text(j_of(x)); }
std::string to_json(ast::Command const& x) { return text(j_of(x)); }
std::string to_json(ast::EnhancedCode const& x) { return text(j_of(x)); }
std::string to_json(ast::ReplyLine const& x) { return text(j_of(x)); }
std::string to_json(ast::Reply const& x) { return text(j_of(x)); }
std::string to_json(ast::Greeting const& x) { return text(j_of(x)); }
std::string to_json(ast::EhloLine const& x) { return text(j_of(x)); }
std::string to_json(ast::EhloReply const& x) { return text(j_of(x)); }
std::string to_json(ParseError const& x) { return text(j_of(x)); }
std::string to_json(Deviation const& x) { return text(j_of(x)); }

}  // namespace smtpspec::grammar
