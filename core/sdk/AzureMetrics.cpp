#include "core/sdk/AzureMetrics.h"

#include "core/lifecycle/RunFolder.h"
#include "core/store/Store.h"
#include "core/util/SafeFile.h"
#include "core/workspace/Workspace.h"

#include <algorithm>
#include <map>

namespace lb::sdk {

namespace {

// The records of metrics.jsonl that the store leaves out, in file order.
struct StreamExtras {
    std::map<std::string, Json> texts;  // name -> [values]
    std::map<std::string, Json> tables; // name -> {column: [values]}
    std::map<std::string, Json> images; // name -> last path
};

void addTableRecord(Json& table, const Json& value, bool wholeColumns) {
    for (const auto& [column, v] : value.items()) {
        Json& list = table[column];
        if (!list.is_array())
            list = Json::array();
        if (wholeColumns && v.is_array())
            list.insert(list.end(), v.begin(), v.end());
        else
            list.push_back(v);
    }
}

// Calls `onLine` with each complete line of the run's metric stream, a megabyte at a time. The
// script writes the file: a FIFO or link in its place is no stream, and a line longer than
// kMaxRecordBytes is passed over, never held whole (#25).
template <typename OnLine> void forEachStreamLine(const QString& path, OnLine onLine) {
    constexpr qsizetype kMaxRecordBytes = 16 << 20;
    const std::optional<SafeFile> file = SafeFile::openIfRegular(path);
    if (!file)
        return;
    const std::int64_t size = file->size();
    QByteArray line;
    bool overlong = false;
    for (std::int64_t offset = 0; offset < size;) {
        QByteArray piece;
        try {
            piece = file->readAt(offset, std::min<std::int64_t>(1 << 20, size - offset));
        } catch (const Error&) {
            return;
        }
        if (piece.isEmpty())
            return;
        offset += piece.size();
        qsizetype at = 0;
        for (qsizetype newline; (newline = piece.indexOf('\n', at)) >= 0; at = newline + 1) {
            if (!overlong)
                onLine(line + piece.mid(at, newline + 1 - at));
            line.clear();
            overlong = false;
        }
        if (!overlong)
            line += piece.mid(at);
        if (line.size() > kMaxRecordBytes) {
            line.clear();
            overlong = true;
        }
    }
}

StreamExtras readExtras(const QString& metricsFile) {
    StreamExtras extras;
    forEachStreamLine(metricsFile, [&](const QByteArray& line) {
        // Only typed records matter here; plain points are the store's (and the bulk of the file).
        if (!line.endsWith('\n') || !line.contains("\"type\""))
            return;
        const Json r = Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (!r.is_object() || !r.contains("name") || !r["name"].is_string() || !r.contains("value"))
            return;
        const std::string name = r["name"].get<std::string>();
        const std::string type = r.value("type", std::string());
        const Json& value = r["value"];
        if (type == "text") {
            extras.texts[name].push_back(value);
        } else if ((type == "row" || type == "table") && value.is_object()) {
            Json& table = extras.tables[name];
            if (!table.is_object())
                table = Json::object();
            addTableRecord(table, value, type == "table");
        } else if (type == "image") {
            extras.images[name] = value;
        }
    });
    return extras;
}

// "eval.acc" when table "eval" has a column "acc": the series log_row wrote for the charts.
bool isTableColumn(const StreamExtras& extras, const std::string& name) {
    for (const auto& [table, columns] : extras.tables)
        if (name.size() > table.size() + 1 && name.compare(0, table.size(), table) == 0 &&
            name[table.size()] == '.' && columns.contains(name.substr(table.size() + 1)))
            return true;
    return false;
}

Json scalarOrList(const Json& values) { return values.size() == 1 ? values[0] : values; }

} // namespace

Json azureMetrics(Workspace& ws, const RunRecord& run) {
    const StreamExtras extras = readExtras(RunFolder(run.runDir).metricsFile());
    Json out = Json::object();
    std::vector<MetricPoint> points = ws.store().metrics().all(run.id);
    // all() is by name, then logged order; Azure's lists are in step order.
    std::stable_sort(points.begin(), points.end(), [](const MetricPoint& a, const MetricPoint& b) {
        return a.name != b.name ? a.name < b.name : a.step < b.step;
    });
    std::map<std::string, Json> series;
    for (const MetricPoint& p : points)
        series[toStd(p.name)].push_back(p.value);
    for (const auto& [name, values] : extras.texts)
        for (const Json& v : values)
            series[name].push_back(v);
    for (const auto& [name, values] : series) {
        if (isTableColumn(extras, name))
            continue; // reported inside its table
        out[name] = scalarOrList(values);
    }
    for (const auto& [name, table] : extras.tables)
        out[name] = table;
    for (const auto& [name, path] : extras.images)
        out[name] = path;
    return out;
}

} // namespace lb::sdk
