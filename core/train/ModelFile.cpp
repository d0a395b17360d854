#include "core/train/ModelFile.h"

#include "core/train/Error.h"
#include "core/train/Npz.h"

#include <map>

namespace lb::train {

void saveModel(const std::filesystem::path& path, const SavedModel& model) {
    const Architecture& arch = model.arch;
    std::vector<NpyArray> arrays;
    for (int l = 0; l < arch.layers(); ++l) {
        const std::size_t in = arch.sizes[l], out = arch.sizes[l + 1];
        const std::string n = std::to_string(l + 1);
        arrays.push_back(
            makeFloatArray("W" + n, {in, out}, model.parameters.data() + arch.weightOffset(l)));
        arrays.push_back(
            makeFloatArray("b" + n, {out}, model.parameters.data() + arch.biasOffset(l)));
    }
    arrays.push_back(
        makeIntArray("layers", std::vector<std::int32_t>(arch.sizes.begin(), arch.sizes.end())));
    arrays.push_back(makeIntArray("input_shape", {model.rows, model.cols}));
    const float norm[2] = {model.scale, model.offset};
    arrays.push_back(makeFloatArray("normalization", {2}, norm));
    arrays.push_back(makeStringArray("activation", "relu"));
    writeNpz(path, arrays);
}

SavedModel loadModel(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::map<std::string, NpyArray> byName;
    for (auto& a : readNpz(path))
        byName[a.name] = std::move(a);
    auto need = [&](const std::string& name) -> const NpyArray& {
        auto it = byName.find(name);
        if (it == byName.end()) {
            throw TrainError(file + ": no array '" + name + "' (not a labbench-train model)");
        }
        return it->second;
    };
    SavedModel model;
    for (std::int64_t s : need("layers").toInts()) {
        if (s < 1 || s > 1'000'000)
            throw TrainError(file + ": bad layer size " + std::to_string(s));
        model.arch.sizes.push_back(int(s));
    }
    if (model.arch.sizes.size() < 2) throw TrainError(file + ": 'layers' needs two sizes or more");
    if (auto it = byName.find("input_shape"); it != byName.end()) {
        const auto shape = it->second.toInts();
        if (shape.size() == 2) {
            model.rows = int(shape[0]);
            model.cols = int(shape[1]);
        }
    }
    if (model.rows * model.cols != model.arch.inputs()) {
        throw TrainError(file + ": input_shape " + std::to_string(model.rows) + "x" +
                         std::to_string(model.cols) + " does not match " +
                         std::to_string(model.arch.inputs()) + " inputs");
    }
    const auto norm = need("normalization").toFloats();
    if (norm.size() != 2) throw TrainError(file + ": 'normalization' must hold [scale, offset]");
    model.scale = norm[0];
    model.offset = norm[1];
    model.parameters.assign(model.arch.parameterCount(), 0.0f);
    for (int l = 0; l < model.arch.layers(); ++l) {
        const std::size_t in = model.arch.sizes[l], out = model.arch.sizes[l + 1];
        const std::string n = std::to_string(l + 1);
        const NpyArray& W = need("W" + n);
        const NpyArray& b = need("b" + n);
        if (W.shape != std::vector<std::size_t>{in, out} ||
            b.shape != std::vector<std::size_t>{out}) {
            throw TrainError(file + ": W" + n + "/b" + n + " do not have the shapes (" +
                             std::to_string(in) + ", " + std::to_string(out) + ")/(" +
                             std::to_string(out) + ",) that 'layers' implies");
        }
        const auto w = W.toFloats(), bias = b.toFloats();
        std::copy(w.begin(), w.end(), model.parameters.begin() + model.arch.weightOffset(l));
        std::copy(bias.begin(), bias.end(), model.parameters.begin() + model.arch.biasOffset(l));
    }
    return model;
}

} // namespace lb::train
