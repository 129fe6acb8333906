#include "smtpspec/conformance/tls_probe.hpp"

namespace smtpspec::conformance {

std::string to_string(TlsProbe::Result r) {
    switch (r) {
        case TlsProbe::Result::accepted: return "accepted";
        case TlsProbe::Result::refused: return "refused";
        case TlsProbe::Result::not_offerable: return "not offerable by the local OpenSSL";
        case TlsProbe::Result::unavailable: return "unavailable";
    }
    return "?";
}

namespace {

TlsProbe handshake_result(const IoResult& io, const std::optional<TlsFacts>& facts, TlsVersion version) {
    const std::string name = to_string(version);
    if (io.ok()) {
        if (facts && facts->version == name)
            return {TlsProbe::Result::accepted, "the server completed a handshake at " + name};
        return {TlsProbe::Result::refused,
                "the handshake offering only " + name + " ended at " + (facts ? facts->version : "?")};
    }
    if (io.status == IoStatus::tls_failed)
        return {TlsProbe::Result::refused, "the server refused " + name + ": " + io.message};
    return {TlsProbe::Result::unavailable, "no " + name + " handshake: " + io.message};
}

}  // namespace

TlsProbe probe_tls_version(const Target& target, TlsVersion version, Duration timeout, const std::string& ehlo_domain) {
    if (!offerable(version))
        return {TlsProbe::Result::not_offerable,
                "the local OpenSSL cannot offer " + to_string(version) + ", so the server's answer to it is unknown"};
    if (target.kind == Target::Kind::exec)
        return {TlsProbe::Result::unavailable, "an exec: target has no TLS: probe with tcp:// or tls://"};

    TlsOptions tls;
    tls.host = target.host;
    tls.only_version = version;
    ConnectOptions connect_options;
    connect_options.timeout = timeout;
    connect_options.tls = tls;
    if (target.kind == Target::Kind::tls) {
        Connected c = connect(target, connect_options);
        if (c.connection) {
            TlsProbe p = handshake_result(c.result, c.connection->tls_facts(), version);
            c.connection->close();
            return p;
        }
        return handshake_result(c.result, std::nullopt, version);
    }

    SessionOptions options;
    options.timeout = timeout;
    IoResult io;
    std::unique_ptr<Session> s = Session::open(target, connect_options, options, io);
    if (!s) return {TlsProbe::Result::unavailable, io.message};
    auto step = [&](const char* command, unsigned want) -> std::optional<TlsProbe> {
        if (command) {
            IoResult w = s->send(command);
            if (!w.ok()) return TlsProbe{TlsProbe::Result::unavailable, w.message};
        }
        ReplyOutcome r = s->read_reply();
        if (!r.ok()) return TlsProbe{TlsProbe::Result::unavailable, "no reply: " + r.message};
        if (r.code() / 100 != want / 100 || (want == 220 && r.code() != 220)) {
            std::string what = command ? std::string(command, std::string_view(command).find('\r')) : "the greeting";
            return TlsProbe{TlsProbe::Result::unavailable,
                            "the server answered " + what + " with " + std::to_string(r.code())};
        }
        return std::nullopt;
    };
    const std::string ehlo = "EHLO " + ehlo_domain + "\r\n";
    if (auto p = step(nullptr, 220)) return *p;
    if (auto p = step(ehlo.c_str(), 250)) return *p;
    if (auto p = step("STARTTLS\r\n", 220)) return *p;
    IoResult h = s->start_tls(tls, timeout);
    TlsProbe p = handshake_result(h, s->tls_facts(), version);
    if (h.ok()) s->send("QUIT\r\n");
    s->close();
    return p;
}

}  // namespace smtpspec::conformance
