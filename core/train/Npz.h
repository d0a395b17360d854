#pragma once
// numpy's .npy (format 1.0) and .npz (a zip of .npy files) formats, written and read here so the
// trainer needs no Python. Writing stores entries uncompressed (like numpy.savez) with CRC-32
// from zlib; reading accepts stored and deflated entries (numpy.savez_compressed).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lb::train {

struct NpyArray {
    std::string name;               // the key numpy.load gives it (file name without .npy)
    std::string descr;              // numpy dtype string: "<f4", "<i4", "<U8", ...
    std::vector<std::size_t> shape; // C order
    std::vector<std::uint8_t> data; // raw little-endian elements

    std::size_t elements() const;
    std::vector<float> toFloats() const;      // "<f4" or "<f8"; throws TrainError otherwise
    std::vector<std::int64_t> toInts() const; // "<i4" or "<i8"
};

NpyArray makeFloatArray(std::string name, std::vector<std::size_t> shape, const float* values);
NpyArray makeIntArray(std::string name, const std::vector<std::int32_t>& values);
NpyArray makeStringArray(std::string name, const std::string& ascii); // 0-d "<U{n}"

// The bytes of one .npy file.
std::vector<std::uint8_t> encodeNpy(const NpyArray& array);
// Parses one .npy file; `where` names it in errors.
NpyArray decodeNpy(const std::vector<std::uint8_t>& bytes, const std::string& where);

// Writes the archive to path + ".tmp" then renames it, so readers never see half a file.
void writeNpz(const std::filesystem::path& path, const std::vector<NpyArray>& arrays);
std::vector<NpyArray> readNpz(const std::filesystem::path& path);

} // namespace lb::train
