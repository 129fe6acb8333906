// The catalogue: every check group, joined and ordered by id.
#include <algorithm>

#include "checks/groups.hpp"
#include "smtpspec/conformance/check.hpp"

namespace smtpspec::conformance {

std::span<const Check> catalogue() {
    static const std::vector<Check> all = [] {
        std::vector<Check> out;
        for (auto group : {checks::session_checks, checks::command_checks, checks::address_checks,
                           checks::extension_checks, checks::data_checks, checks::starttls_checks,
                           checks::auth_checks, checks::tls_checks, checks::timeout_checks})
            for (Check& c : group()) out.push_back(std::move(c));
        std::stable_sort(out.begin(), out.end(), [](const Check& a, const Check& b) { return a.id < b.id; });
        return out;
    }();
    return all;
}

const Check* find_check(std::string_view id) {
    for (const Check& c : catalogue())
        if (c.id == id) return &c;
    return nullptr;
}

}  // namespace smtpspec::conformance
