#pragma once
// The values of chosen columns for a page of runs (issue 17): run attributes from the records,
// metric summaries, parameters and tags from the store, one query per column. Shared by the runs
// table and `labbench runs list --columns`.
#include "core/query/RunQuery.h"
#include "core/store/Entities.h"

#include <QList>
#include <QVariant>

namespace lb {

class Store;

// An attribute of a run as a value: text, a number, or null (not started, no exit code…).
QVariant attributeValue(const RunRecord& run, query::Attribute attribute);

// Row by row, column by column: rows[i][j] is runs[i]'s value of keys[j] (null when it has none).
QList<QList<QVariant>> runColumnValues(Store& store, const QList<RunRecord>& runs, const QList<query::Key>& keys);

// A value as a table or CSV shows it: numbers in their shortest round-trip form, null as "".
QString displayText(const QVariant& value);

} // namespace lb
