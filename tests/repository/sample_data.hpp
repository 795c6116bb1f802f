// Deterministic test streams, generated fast enough that a 64 MiB stream costs a fraction of
// a second.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository::test_data {

// SplitMix64: tiny, fast and the same everywhere (std:: distributions are not).
class prng {
public:
    explicit prng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }

private:
    std::uint64_t state_;
};

// Incompressible bytes.
inline std::vector<std::byte> random_stream(std::size_t size, std::uint64_t seed) {
    prng rng(seed);
    std::vector<std::byte> out(size);
    for (std::size_t i = 0; i < size; i += 8) {
        const std::uint64_t word = rng.next();
        std::memcpy(out.data() + i, &word, std::min<std::size_t>(8, size - i));
    }
    return out;
}

// Text-like and compressible (about 4:1 with zstd), yet with enough entropy that
// content-defined cut points occur everywhere: fragments (words, numbers, separators) from a
// dictionary of 4096, picked at random. One copy per fragment keeps generation fast even in
// an unoptimized sanitizer build, where formatting rows field by field took seconds.
inline std::vector<std::byte> text_stream(std::size_t size, std::uint64_t seed) {
    static constexpr std::array<std::string_view, 16> words{
        "alpha",   "order", "shipped",  "customer",      "invoice", "gift wrap",
        "fragile", "paid",  "returned", "leave at door", "express", "Berlin",
        "Lyon",    "Osaka", "note",     "cancelled"};
    static constexpr std::array<std::string_view, 4> separators{" ", "\t", "\n", ", "};
    prng rng(seed);
    std::vector<std::string> fragments(4096);
    for (auto& fragment : fragments) {
        fragment += words[rng.below(words.size())];
        fragment += separators[rng.below(separators.size())];
        if (rng.below(2) == 0) fragment += std::to_string(rng.below(100000)) + "\t";
    }
    std::vector<std::byte> out(size);
    for (std::size_t offset = 0; offset < size;) {
        const std::string& fragment = fragments[rng.below(fragments.size())];
        const std::size_t length = std::min(fragment.size(), size - offset);
        std::memcpy(out.data() + offset, fragment.data(), length);
        offset += length;
    }
    return out;
}

// A table dump, one row a line: id, city, customer, quantity, number; about 55 bytes a row,
// every field but the id drawn from `seed`. For tests of how a day's changes to a table store.
inline std::vector<std::string> table_rows(std::size_t rows, std::uint64_t seed) {
    static constexpr std::array<std::string_view, 8> cities{"Berlin", "Lyon",  "Osaka", "Quito",
                                                            "Perth",  "Tunis", "Oslo",  "Lima"};
    prng rng(seed);
    std::vector<std::string> out;
    out.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i)
        out.push_back(std::to_string(seed * 1'000'000 + i) + "\t" + std::string(cities[rng.below(cities.size())]) +
                      "\tcustomer-" + std::to_string(rng.next() % 1'000'000'000) + "\t" +
                      std::to_string(rng.below(10'000)) + "." + std::to_string(rng.below(100)) + "\t" +
                      std::to_string(rng.next() % 100'000'000'000) + "\n");
    return out;
}

// Every `every`-th row of [first, last) of table_rows() with a new quantity, as an UPDATE
// would leave it.
inline void update_quantities(std::vector<std::string>& rows, std::size_t first, std::size_t last,
                              std::size_t every, std::uint64_t seed) {
    prng rng(seed);
    for (std::size_t i = first; i < std::min(last, rows.size()); i += every) {
        std::string& row = rows[i];
        const std::size_t tab = row.find('\t', row.find("customer-"));
        const std::size_t end = row.find('\t', tab + 1);
        row.replace(tab + 1, end - tab - 1, std::to_string(rng.below(10'000)) + "." + std::to_string(rng.below(100)));
    }
}

// The rows as one stream.
inline std::vector<std::byte> joined(const std::vector<std::string>& rows) {
    std::vector<std::byte> out;
    for (const auto& row : rows) {
        const auto* p = reinterpret_cast<const std::byte*>(row.data());
        out.insert(out.end(), p, p + row.size());
    }
    return out;
}

}  // namespace holdfast::repository::test_data
