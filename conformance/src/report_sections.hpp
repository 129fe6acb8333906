// Checks and results grouped by the RFC section in their id, sections in
// document order: by RFC number, then section number by number (4.1.1.1 before
// 4.1.1.10 before 4.1.4). Within a section the input order is kept.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/check.hpp"

namespace smtpspec::conformance {

// Whether section `a` comes before `b` in document order.
bool section_before(const Section& a, const Section& b);

template <class T>
struct Grouped {
    Section section;
    std::vector<const T*> items;
};

// `items` grouped by section_of(id_of(item)).
template <class T, class IdOf>
std::vector<Grouped<T>> group_by_section(std::span<const T> items, IdOf id_of) {
    std::vector<Grouped<T>> groups;
    for (const T& item : items) {
        Section s = section_of(id_of(item));
        auto const same = [&](const Grouped<T>& g) { return g.section.rfc == s.rfc && g.section.section == s.section; };
        auto at = std::find_if(groups.begin(), groups.end(), same);
        if (at == groups.end()) {
            groups.push_back({std::move(s), {}});
            at = groups.end() - 1;
        }
        at->items.push_back(&item);
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const Grouped<T>& a, const Grouped<T>& b) { return section_before(a.section, b.section); });
    return groups;
}

struct SectionGroup {
    Section section;
    std::vector<const CheckResult*> results;
};
std::vector<SectionGroup> group_by_section(std::span<const CheckResult> results);

}  // namespace smtpspec::conformance
