#include "smtpspec/grammar/deviations.hpp"

#include <algorithm>

#include "address.hpp"
#include "command.hpp"
#include "ehlo_reply.hpp"
#include "reply.hpp"

namespace smtpspec::grammar {

std::vector<DeviationInfo> deviation_catalogue() {
    std::vector<DeviationInfo> all;
    auto const add = [&](std::string id, std::string message) {
        auto const same = [&](DeviationInfo const& d) { return d.id == id; };
        if (std::find_if(all.begin(), all.end(), same) == all.end()) all.push_back({std::move(id), std::move(message)});
    };
    using Group = std::span<detail::Repair const> (*)();
    for (Group group : {&detail::address_repairs, &detail::command_repairs, &detail::reply_repairs,
                        &detail::greeting_repairs, &detail::ehlo_repairs})
        for (auto const& r : group()) add(r.id, r.message);
    // Replies turn bare LFs into line ends before the repairs run (reply.cpp), under the same id.
    add("bare-lf", "line ended by LF without CR accepted; RFC 5321 §2.3.8 ends every line with CRLF");
    std::sort(all.begin(), all.end(), [](auto const& a, auto const& b) { return a.id < b.id; });
    return all;
}

}  // namespace smtpspec::grammar
