// Benchmark input shaped like a plain pg_dump of shared/bench/realistic-db.sql: COPY blocks
// of customers (jsonb profiles), orders (notes with an md5) and events (bytea as hex),
// with the same proportions of rows. Deterministic, and fast to generate.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::bench {

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

class dump_writer {
public:
    explicit dump_writer(std::size_t size) { text_.reserve(size + 4096); }

    std::vector<std::byte> generate(std::size_t size) {
        // One customer for 12 orders and 12 events, as in realistic-db.sql.
        const std::size_t block_rows = 20000;
        for (std::uint64_t block = 0; text_.size() < size; ++block) {
            text_ +=
                "COPY public.customers (id, name, email, country, created_at, profile) FROM "
                "stdin;\n";
            for (std::size_t i = 0; i < block_rows / 12 && text_.size() < size; ++i) customer();
            text_ +=
                "\\.\n\nCOPY public.orders (id, customer_id, created_at, amount, status, note) "
                "FROM stdin;\n";
            for (std::size_t i = 0; i < block_rows && text_.size() < size; ++i) order();
            text_ += "\\.\n\nCOPY public.events (id, at, kind, data) FROM stdin;\n";
            for (std::size_t i = 0; i < block_rows && text_.size() < size; ++i) event();
            text_ += "\\.\n\n";
        }
        const auto* begin = reinterpret_cast<const std::byte*>(text_.data());
        return {begin, begin + size};
    }

private:
    void number(std::uint64_t value) {
        std::array<char, 20> digits{};
        const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
        text_.append(digits.data(), end);
    }
    void two_digits(std::uint64_t value) {
        text_ += static_cast<char>('0' + value / 10 % 10);
        text_ += static_cast<char>('0' + value % 10);
    }
    void hex(std::size_t count) {
        static constexpr char digits[] = "0123456789abcdef";
        for (std::size_t i = 0; i < count; i += 16) {
            std::uint64_t word = rng_.next();
            for (std::size_t j = 0; j < 16 && i + j < count; ++j, word >>= 4)
                text_ += digits[word & 0xf];
        }
    }
    void timestamp(std::uint64_t seconds) {
        text_ += "2024-";
        two_digits(1 + seconds / 2592000 % 12);
        text_ += '-';
        two_digits(1 + seconds / 86400 % 28);
        text_ += ' ';
        two_digits(seconds / 3600 % 24);
        text_ += ':';
        two_digits(seconds / 60 % 60);
        text_ += ':';
        two_digits(seconds % 60);
        text_ += "+00";
    }
    void customer() {
        static constexpr std::array<std::string_view, 4> tlds{"com", "org", "net", "io"};
        static constexpr std::array<std::string_view, 8> countries{"DE", "US", "FR", "JP",
                                                                   "BR", "IN", "CN", "GB"};
        const std::uint64_t id = ++customers_;
        number(id);
        text_ += "\tcust_";
        number(id);
        text_ += ' ';
        hex(8);
        text_ += "\tu";
        number(id);
        text_ += "@example.";
        text_ += tlds[id % 4];
        text_ += '\t';
        text_ += countries[id * 7 % 8];
        text_ += '\t';
        timestamp(id * 60);
        text_ += "\t{\"age\": ";
        number(18 + id % 60);
        text_ += ", \"tags\": [\"t";
        number(id % 13);
        text_ += "\", \"t";
        number(id % 7);
        text_ += "\"], \"score\": ";
        number(rng_.below(1000));
        text_ += '.';
        two_digits(rng_.below(100));
        text_ += "}\n";
    }
    void order() {
        static constexpr std::array<std::string_view, 5> statuses{"new", "paid", "shipped",
                                                                  "returned", "cancelled"};
        static constexpr std::array<std::string_view, 7> notes{
            "fast delivery please", "gift wrap", "leave at door", "call before", "fragile", "", ""};
        const std::uint64_t id = ++orders_;
        number(id);
        text_ += '\t';
        number(1 + rng_.below(customers_ + 1));
        text_ += '\t';
        timestamp(id * 5);
        text_ += '\t';
        number(rng_.below(500));
        text_ += '.';
        two_digits(rng_.below(100));
        text_ += '\t';
        text_ += statuses[rng_.below(statuses.size())];
        text_ += '\t';
        text_ += notes[rng_.below(notes.size())];
        text_ += ' ';
        hex(32);
        text_ += '\n';
    }
    void event() {
        const std::uint64_t id = ++events_;
        number(id);
        text_ += '\t';
        timestamp(id * 5);
        text_ += "\tk";
        number(id % 50);
        text_ += "\t\\\\x";
        hex(64);
        text_ += '\n';
    }

    prng rng_{0x42};
    std::string text_;
    std::uint64_t customers_ = 0, orders_ = 0, events_ = 0;
};

inline std::vector<std::byte> dump_like_data(std::size_t size) {
    return dump_writer(size).generate(size);
}

}  // namespace holdfast::bench
