#pragma once
// A search over a workspace's runs (issue 17): which runs (a parsed filter, an experiment, archived
// or not), in which order, which page. RunRepository::search turns it into one SQL query with
// bound parameters; nothing is filtered in memory.
#include "core/query/RunQuery.h"

#include <QString>

#include <optional>

namespace lb {

struct RunSearch {
    query::ExprPtr filter;              // nullptr: every run
    QString experiment;                 // empty: every experiment
    bool includeArchived = false;
    bool onlyArchived = false;
    std::optional<query::Key> sortKey;  // none: newest first
    bool descending = false;
    int limit = -1;                     // -1: no limit
    int offset = 0;
};

} // namespace lb
