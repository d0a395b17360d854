#include "core/sdk/VmSizes.h"

namespace lb::sdk {

namespace {

struct Row {
    const char* name;
    int cores;
    double memoryGiB;
    int gpus;
    const char* gpuModel;
};

// Azure's published sizes (vCPUs, memory in GiB, GPUs). The "s" variants (premium storage) have
// the same cores and memory as their plain twins.
const Row kRows[] = {
    // D (v1) and Dv2: general purpose
    {"Standard_D1", 1, 3.5, 0, ""},          {"Standard_D2", 2, 7, 0, ""},
    {"Standard_D3", 4, 14, 0, ""},           {"Standard_D4", 8, 28, 0, ""},
    {"Standard_D11", 2, 14, 0, ""},          {"Standard_D12", 4, 28, 0, ""},
    {"Standard_D13", 8, 56, 0, ""},          {"Standard_D14", 16, 112, 0, ""},
    {"Standard_D1_v2", 1, 3.5, 0, ""},       {"Standard_D2_v2", 2, 7, 0, ""},
    {"Standard_D3_v2", 4, 14, 0, ""},        {"Standard_D4_v2", 8, 28, 0, ""},
    {"Standard_D5_v2", 16, 56, 0, ""},       {"Standard_D11_v2", 2, 14, 0, ""},
    {"Standard_D12_v2", 4, 28, 0, ""},       {"Standard_D13_v2", 8, 56, 0, ""},
    {"Standard_D14_v2", 16, 112, 0, ""},     {"Standard_D15_v2", 20, 140, 0, ""},
    {"Standard_DS1_v2", 1, 3.5, 0, ""},      {"Standard_DS2_v2", 2, 7, 0, ""},
    {"Standard_DS3_v2", 4, 14, 0, ""},       {"Standard_DS4_v2", 8, 28, 0, ""},
    {"Standard_DS5_v2", 16, 56, 0, ""},      {"Standard_DS11_v2", 2, 14, 0, ""},
    {"Standard_DS12_v2", 4, 28, 0, ""},      {"Standard_DS13_v2", 8, 56, 0, ""},
    {"Standard_DS14_v2", 16, 112, 0, ""},
    // Dv3 / Dsv3 / Dv4
    {"Standard_D2_v3", 2, 8, 0, ""},         {"Standard_D4_v3", 4, 16, 0, ""},
    {"Standard_D8_v3", 8, 32, 0, ""},        {"Standard_D16_v3", 16, 64, 0, ""},
    {"Standard_D32_v3", 32, 128, 0, ""},     {"Standard_D48_v3", 48, 192, 0, ""},
    {"Standard_D64_v3", 64, 256, 0, ""},     {"Standard_D2s_v3", 2, 8, 0, ""},
    {"Standard_D4s_v3", 4, 16, 0, ""},       {"Standard_D8s_v3", 8, 32, 0, ""},
    {"Standard_D16s_v3", 16, 64, 0, ""},     {"Standard_D32s_v3", 32, 128, 0, ""},
    {"Standard_D64s_v3", 64, 256, 0, ""},    {"Standard_D2_v4", 2, 8, 0, ""},
    {"Standard_D4_v4", 4, 16, 0, ""},        {"Standard_D8_v4", 8, 32, 0, ""},
    {"Standard_D16_v4", 16, 64, 0, ""},      {"Standard_D32_v4", 32, 128, 0, ""},
    // E: memory optimised
    {"Standard_E2_v3", 2, 16, 0, ""},        {"Standard_E4_v3", 4, 32, 0, ""},
    {"Standard_E8_v3", 8, 64, 0, ""},        {"Standard_E16_v3", 16, 128, 0, ""},
    {"Standard_E20_v3", 20, 160, 0, ""},     {"Standard_E32_v3", 32, 256, 0, ""},
    {"Standard_E48_v3", 48, 384, 0, ""},     {"Standard_E64_v3", 64, 432, 0, ""},
    {"Standard_E2s_v3", 2, 16, 0, ""},       {"Standard_E4s_v3", 4, 32, 0, ""},
    {"Standard_E8s_v3", 8, 64, 0, ""},       {"Standard_E16s_v3", 16, 128, 0, ""},
    {"Standard_E32s_v3", 32, 256, 0, ""},    {"Standard_E64s_v3", 64, 432, 0, ""},
    // F: compute optimised
    {"Standard_F1", 1, 2, 0, ""},            {"Standard_F2", 2, 4, 0, ""},
    {"Standard_F4", 4, 8, 0, ""},            {"Standard_F8", 8, 16, 0, ""},
    {"Standard_F16", 16, 32, 0, ""},         {"Standard_F1s", 1, 2, 0, ""},
    {"Standard_F2s", 2, 4, 0, ""},           {"Standard_F4s", 4, 8, 0, ""},
    {"Standard_F8s", 8, 16, 0, ""},          {"Standard_F16s", 16, 32, 0, ""},
    {"Standard_F2s_v2", 2, 4, 0, ""},        {"Standard_F4s_v2", 4, 8, 0, ""},
    {"Standard_F8s_v2", 8, 16, 0, ""},       {"Standard_F16s_v2", 16, 32, 0, ""},
    {"Standard_F32s_v2", 32, 64, 0, ""},     {"Standard_F48s_v2", 48, 96, 0, ""},
    {"Standard_F64s_v2", 64, 128, 0, ""},    {"Standard_F72s_v2", 72, 144, 0, ""},
    // NC: compute GPUs (K80; v2 P100; v3 V100; T4)
    {"Standard_NC6", 6, 56, 1, "K80"},       {"Standard_NC12", 12, 112, 2, "K80"},
    {"Standard_NC24", 24, 224, 4, "K80"},    {"Standard_NC24r", 24, 224, 4, "K80"},
    {"Standard_NC6s_v2", 6, 112, 1, "P100"}, {"Standard_NC12s_v2", 12, 224, 2, "P100"},
    {"Standard_NC24s_v2", 24, 448, 4, "P100"}, {"Standard_NC6s_v3", 6, 112, 1, "V100"},
    {"Standard_NC12s_v3", 12, 224, 2, "V100"}, {"Standard_NC24s_v3", 24, 448, 4, "V100"},
    {"Standard_NC24rs_v3", 24, 448, 4, "V100"}, {"Standard_NC4as_T4_v3", 4, 28, 1, "T4"},
    {"Standard_NC8as_T4_v3", 8, 56, 1, "T4"}, {"Standard_NC16as_T4_v3", 16, 110, 1, "T4"},
    {"Standard_NC64as_T4_v3", 64, 440, 4, "T4"},
    // ND: deep learning GPUs (P40; v2 V100; v4 A100)
    {"Standard_ND6s", 6, 112, 1, "P40"},     {"Standard_ND12s", 12, 224, 2, "P40"},
    {"Standard_ND24s", 24, 448, 4, "P40"},   {"Standard_ND24rs", 24, 448, 4, "P40"},
    {"Standard_ND40rs_v2", 40, 672, 8, "V100"}, {"Standard_ND96asr_v4", 96, 900, 8, "A100"},
    // NV: visualisation GPUs (M60)
    {"Standard_NV6", 6, 56, 1, "M60"},       {"Standard_NV12", 12, 112, 2, "M60"},
    {"Standard_NV24", 24, 224, 4, "M60"},    {"Standard_NV12s_v3", 12, 112, 1, "M60"},
    {"Standard_NV24s_v3", 24, 224, 2, "M60"}, {"Standard_NV48s_v3", 48, 448, 4, "M60"},
};

} // namespace

const QList<VmSize>& knownVmSizes() {
    static const QList<VmSize> sizes = [] {
        QList<VmSize> out;
        for (const Row& r : kRows)
            out.append({QString::fromLatin1(r.name), r.cores, r.memoryGiB, r.gpus, QString::fromLatin1(r.gpuModel)});
        return out;
    }();
    return sizes;
}

std::optional<VmSize> findVmSize(const QString& name) {
    for (const VmSize& s : knownVmSizes())
        if (s.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return s;
    return std::nullopt;
}

QStringList knownVmSizeNames() {
    QStringList names;
    for (const VmSize& s : knownVmSizes())
        names.append(s.name);
    return names;
}

} // namespace lb::sdk
