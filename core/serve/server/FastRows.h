#pragma once
// The fast path for a native endpoint's usual body, {"data": [[784 numbers in 0..1], ...]} (or
// one flat row), parsed with simdjson straight into the model's input rows. It only says yes or
// no: anything it does not accept goes to NativeScorer's nlohmann_json path, which finds the
// fault and names it. Without simdjson at build time it always says no.

#include <string>
#include <vector>

namespace lb::serve {

struct RowShape {
    int features = 784;          // numbers per row
    int maxRows = 10000;         // rows per request
    float scale = 1.0f / 255.0f; // the model's normalisation of 0..255 pixels (SavedModel)
    float offset = 0.0f;
};

// On true, x holds (rows, features) normalised inputs. On false, x and rows mean nothing.
bool parseRowsFast(const std::string& body, const RowShape& shape, std::vector<float>& x,
                   int& rows);

// Whether the fast path was built in (simdjson was found).
bool fastRowsAvailable();

} // namespace lb::serve
