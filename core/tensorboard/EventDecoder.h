#pragma once
// Decodes one TensorBoard Event record (tensorflow/core/util/event.proto) into the scalar values
// it carries. Only what scalar summaries need is read:
//
//   Event         { double wall_time = 1; int64 step = 2; Summary summary = 5; … }
//   Summary       { repeated Value value = 1; }
//   Summary.Value { string tag = 1; float simple_value = 2; SummaryMetadata metadata = 9;
//                   TensorProto tensor = 8; … }
//   TensorProto   { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content =
//   4;
//                   repeated float float_val = 5; double double_val = 6; int32 int_val = 7;
//                   int64 int64_val = 10; bool bool_val = 11; int32 half_val = 13;
//                   uint32 uint32_val = 16; uint64 uint64_val = 17; }
//   SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; } }

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace lb {

// One Summary.Value of an event.
struct TensorBoardValue {
    QString tag;
    std::optional<double> scalar; // simple_value, or a numeric tensor with exactly one element
    QString pluginName;           // from the value's metadata, when the writer sent one
};

struct TensorBoardEvent {
    bool valid = false; // false: the bytes are not a well-formed Event message
    double wallTime = 0;
    std::int64_t step = 0;
    std::vector<TensorBoardValue> values;
};

TensorBoardEvent decodeTensorBoardEvent(const QByteArray& record);

} // namespace lb
