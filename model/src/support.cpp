// Small value helpers: code sets, states, inputs and responses as text.
#include <cstdio>
#include <string>

#include "smtpspec/model/codes.hpp"
#include "smtpspec/model/expectation.hpp"
#include "smtpspec/model/input.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

std::string CodeSet::to_string() const {
    std::string out;
    auto append = [&](const std::string& s) {
        if (!out.empty()) out += ", ";
        out += s;
    };
    for (unsigned digit = 2; digit <= 5; ++digit) {
        CodeSet whole = cls(digit);
        if ((*this & whole) == whole) {
            append(std::to_string(digit) + "yz");
            continue;
        }
        for (unsigned c = digit * 100; c < digit * 100 + 100; ++c)
            if (contains(c)) append(std::to_string(c));
    }
    if (out.empty()) return "nothing";
    // Whichever reads shorter: the codes, or what they leave out.
    std::size_t members = 0;
    for (unsigned c = first; c <= last; ++c) members += contains(c) ? 1 : 0;
    if (members > 200 && members < 400) {
        std::string but = "anything but " + (all() - *this).to_string();
        if (but.size() < out.size()) return but;
    }
    return out;
}

CodeSet Expectation::allowed() const {
    CodeSet s = CodeSet::all();
    for (std::uint8_t i = 0; i < count; ++i) s = s & constraints[i].codes;
    return s;
}

State fresh_tls_state(Profile profile) {
    State s;
    s.phase = Phase::greeted;
    s.profile = profile;
    s.tls = true;
    return s;
}

std::string_view to_string(Phase p) noexcept {
    switch (p) {
        case Phase::connecting: return "connecting";
        case Phase::refused: return "refused";
        case Phase::greeted: return "greeted";
        case Phase::ready: return "ready";
        case Phase::mail: return "mail";
        case Phase::rcpt: return "rcpt";
        case Phase::data: return "data";
        case Phase::bdat: return "bdat";
        case Phase::auth: return "auth";
        case Phase::tls_pending: return "tls_pending";
        case Phase::closing: return "closing";
        case Phase::closed: return "closed";
    }
    return "?";
}

std::string_view to_string(Profile p) noexcept {
    switch (p) {
        case Profile::relay: return "relay";
        case Profile::submission: return "submission";
        case Profile::submissions: return "submissions";
    }
    return "?";
}

std::optional<Profile> parse_profile(std::string_view s) noexcept {
    if (s == "relay") return Profile::relay;
    if (s == "submission") return Profile::submission;
    if (s == "submissions") return Profile::submissions;
    return std::nullopt;
}

grammar::ast::Reply make_reply(unsigned code, std::string text,
                               std::optional<grammar::ast::EnhancedCode> enhanced) {
    grammar::ast::Reply r;
    r.code = code;
    r.lines.push_back(grammar::ast::ReplyLine{enhanced, std::move(text)});
    return r;
}

namespace {

std::string printable(std::string_view s, std::size_t max = 60) {
    std::string out;
    for (char ch : s) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        unsigned char c = static_cast<unsigned char>(ch);
        if (c == '\r') out += "<CR>";
        else if (c == '\n') out += "<LF>";
        else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else out += ch;
    }
    return out;
}

std::string line_text(const grammar::ast::ReplyLine& l) {
    std::string s;
    if (l.enhanced)
        s = std::to_string(l.enhanced->cls) + "." + std::to_string(l.enhanced->subject) + "." +
            std::to_string(l.enhanced->detail);
    if (!l.text.empty()) {
        if (!s.empty()) s += ' ';
        s += l.text;
    }
    return s;
}

}  // namespace

std::string describe(const Input& in) {
    struct V {
        std::string operator()(const ConnectionOpened& c) const {
            return std::string("connection opened (") + std::string(to_string(c.profile)) +
                   (c.tls ? ", TLS)" : ")");
        }
        std::string operator()(const CommandInput& c) const {
            std::string_view raw = c.raw;
            while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
            return printable(raw);
        }
        std::string operator()(const UnparsedLine& u) const {
            std::string_view raw = u.raw;
            while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
            return printable(raw) + " (does not parse)";
        }
        std::string operator()(const MessageText& m) const { return "message text \"" + printable(m.bytes) + "\""; }
        std::string operator()(const BdatChunk& b) const {
            return "BDAT " + std::to_string(b.command.size) + (b.command.last ? " LAST" : "") + " + " +
                   std::to_string(b.bytes.size()) + " octets";
        }
        std::string operator()(const TlsEstablished&) const { return "TLS handshake finished"; }
        std::string operator()(const AuthLine& a) const { return "AUTH line \"" + printable(a.text) + "\""; }
        std::string operator()(const ClientClosed&) const { return "client closed"; }
        std::string operator()(const ServerClosed&) const { return "server closed"; }
        std::string operator()(const Idle&) const { return "no client input"; }
    };
    return std::visit(V{}, in);
}

std::string describe(const Response& r) {
    struct V {
        std::string operator()(const grammar::ast::Reply& rep) const {
            std::string s = std::to_string(rep.code);
            if (!rep.lines.empty()) {
                std::string t = line_text(rep.lines.front());
                if (!t.empty()) s.append(" ").append(printable(t));
                if (rep.lines.size() > 1) s.append(" (+").append(std::to_string(rep.lines.size() - 1)).append(" lines)");
            }
            return s;
        }
        std::string operator()(const MalformedReply& m) const { return "malformed reply \"" + printable(m.raw) + "\""; }
        std::string operator()(const Closed&) const { return "connection closed"; }
        std::string operator()(const Silence&) const { return "no reply"; }
    };
    return std::visit(V{}, r);
}

}  // namespace smtpspec::model
