#include "support/scratch_dir.hpp"

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <stdexcept>

namespace holdfast::testing {

namespace fs = std::filesystem;

scratch_dir::scratch_dir() {
    std::string pattern = (fs::temp_directory_path() / "holdfast-engine-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

scratch_dir::~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::vector<std::string> scratch_dir::entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

tmpdir_override::tmpdir_override(const fs::path& directory) {
    if (const char* old = ::getenv("TMPDIR")) previous_ = old;
    ::setenv("TMPDIR", directory.c_str(), 1);
}

tmpdir_override::~tmpdir_override() {
    if (previous_)
        ::setenv("TMPDIR", previous_->c_str(), 1);
    else
        ::unsetenv("TMPDIR");
}

std::vector<std::byte> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> out(chars.size());
    std::transform(chars.begin(), chars.end(), out.begin(), [](char c) { return static_cast<std::byte>(c); });
    return out;
}

void write_file(const fs::path& file, const std::vector<std::byte>& data) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::vector<std::byte> random_bytes(std::size_t size, unsigned seed) {
    std::mt19937_64 generator(seed);
    std::vector<std::byte> out(size);
    for (std::size_t i = 0; i < size; i += 8) {
        std::uint64_t word = generator();
        for (std::size_t k = 0; k < 8 && i + k < size; ++k) out[i + k] = static_cast<std::byte>(word >> (8 * k));
    }
    return out;
}

}  // namespace holdfast::testing
