#include "core/serve/server/FastRows.h"

#ifdef LABBENCH_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace lb::serve {

#ifdef LABBENCH_HAVE_SIMDJSON

namespace {

// Appends one row of `features` numbers in [0, 1]; false for anything else.
bool appendRow(simdjson::dom::array row, const RowShape& shape, std::vector<float>& x) {
    if (row.size() != std::size_t(shape.features)) return false;
    for (simdjson::dom::element v : row) {
        double d;
        if (v.get_double().get(d) != simdjson::SUCCESS || !(d >= 0.0 && d <= 1.0)) return false;
        x.push_back(float(d) * 255.0f * shape.scale + shape.offset); // as Predictor::normalise01
    }
    return true;
}

} // namespace

bool parseRowsFast(const std::string& body, const RowShape& shape, std::vector<float>& x,
                   int& rows) {
    // One parser per server thread: it keeps its buffers between requests. The DOM parser
    // validates the whole document, so what it accepts nlohmann_json accepts too.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return false;
    simdjson::dom::object object;
    simdjson::dom::array data;
    if (doc.get_object().get(object) != simdjson::SUCCESS || object.size() != 1 ||
        object["data"].get_array().get(data) != simdjson::SUCCESS || data.size() == 0)
        return false;
    x.clear();
    simdjson::dom::array row;
    if (data.at(0).get_array().get(row) != simdjson::SUCCESS) { // one flat row
        rows = 1;
        x.reserve(std::size_t(shape.features));
        return appendRow(data, shape, x);
    }
    if (data.size() > std::size_t(shape.maxRows)) return false;
    rows = int(data.size());
    x.reserve(std::size_t(rows) * std::size_t(shape.features));
    for (simdjson::dom::element r : data)
        if (r.get_array().get(row) != simdjson::SUCCESS || !appendRow(row, shape, x)) return false;
    return true;
}

bool fastRowsAvailable() {
    return true;
}

#else

bool parseRowsFast(const std::string&, const RowShape&, std::vector<float>&, int&) {
    return false;
}

bool fastRowsAvailable() {
    return false;
}

#endif

} // namespace lb::serve
