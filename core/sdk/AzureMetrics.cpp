#include "core/sdk/AzureMetrics.h"

#include "core/lifecycle/RunFolder.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QFile>

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

StreamExtras readExtras(const QString& metricsFile) {
    StreamExtras extras;
    QFile file(metricsFile);
    if (!file.open(QIODevice::ReadOnly))
        return extras;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        // Only typed records matter here; plain points are the store's (and the bulk of the file).
        if (!line.endsWith('\n') || !line.contains("\"type\""))
            continue;
        const Json r = Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (!r.is_object() || !r.contains("name") || !r["name"].is_string() || !r.contains("value"))
            continue;
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
    }
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
