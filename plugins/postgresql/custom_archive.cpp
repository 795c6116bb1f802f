#include "custom_archive.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace holdfast::engines::postgresql {

namespace {

constexpr std::size_t buffer_size = 1 << 20;
// Strings in a TOC are SQL statements; a length beyond this is a corrupt or foreign file.
constexpr std::int64_t max_string = std::int64_t{1} << 30;
constexpr int archive_format_custom = 1;  // pg_dump's archCustom
constexpr std::uint8_t block_data = 1, block_large_objects = 3;

struct not_understood : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Bytes from the source, each buffer handed to the sink as soon as it is read.
class byte_reader {
public:
    byte_reader(const archive_source& source, const archive_sink& sink)
        : source_(source), sink_(sink), buffer_(buffer_size) {}

    std::uint64_t offset() const { return offset_; }
    bool at_end() { return !fill(); }

    std::uint8_t byte() {
        if (!fill()) throw not_understood("the archive ends inside a structure");
        ++offset_;
        return std::to_integer<std::uint8_t>(buffer_[pos_++]);
    }

    // The next n bytes, in pieces, to `piece` (may be empty: skipped).
    void take(std::uint64_t n, const std::function<void(std::span<const std::byte>)>& piece) {
        while (n > 0) {
            if (!fill()) throw not_understood("the archive ends inside a structure");
            const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(n, length_ - pos_));
            if (piece) piece(std::span<const std::byte>(buffer_.data() + pos_, count));
            pos_ += count;
            offset_ += count;
            n -= count;
        }
    }

    void drain() {
        while (fill()) {
            offset_ += length_ - pos_;
            pos_ = length_;
        }
    }

private:
    bool fill() {
        if (pos_ < length_) return true;
        if (ended_) return false;
        length_ = source_(buffer_);
        pos_ = 0;
        if (length_ == 0) {
            ended_ = true;
            return false;
        }
        sink_(std::span<const std::byte>(buffer_.data(), length_));
        return true;
    }

    const archive_source& source_;
    const archive_sink& sink_;
    std::vector<std::byte> buffer_;
    std::size_t pos_ = 0, length_ = 0;
    std::uint64_t offset_ = 0;
    bool ended_ = false;
};

// ReadInt, ReadStr and ReadOffset of pg_backup_archiver.c.
class field_reader {
public:
    explicit field_reader(byte_reader& in) : in_(in) {}

    void set_sizes(int int_size, int offset_size) {
        if (int_size < 1 || int_size > 8 || offset_size < 1 || offset_size > 8)
            throw not_understood("integer sizes " + std::to_string(int_size) + "/" + std::to_string(offset_size));
        int_size_ = int_size;
        offset_size_ = offset_size;
    }

    std::int64_t integer() {
        const bool negative = in_.byte() != 0;
        std::uint64_t value = 0;
        for (int i = 0; i < int_size_; ++i) value |= std::uint64_t{in_.byte()} << (8 * i);
        return negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
    }

    std::optional<std::string> string() {
        const std::int64_t length = integer();
        if (length < 0) return std::nullopt;
        if (length > max_string) throw not_understood("a TOC string of " + std::to_string(length) + " bytes");
        std::string text;  // grown as bytes arrive: a corrupt length must not allocate up front
        in_.take(static_cast<std::uint64_t>(length), [&text](std::span<const std::byte> piece) {
            text.append(reinterpret_cast<const char*>(piece.data()), piece.size());
        });
        return text;
    }

    void offset() {
        in_.byte();  // the state flag: set, not set, no data
        for (int i = 0; i < offset_size_; ++i) in_.byte();
    }

private:
    byte_reader& in_;
    int int_size_ = 4, offset_size_ = 8;
};

archive_toc read_header_and_toc(byte_reader& in, field_reader& r) {
    std::array<char, 5> magic{};
    for (auto& c : magic) c = static_cast<char>(in.byte());
    if (std::memcmp(magic.data(), "PGDMP", magic.size()) != 0) throw not_understood("no PGDMP signature");
    const int major = in.byte(), minor = in.byte();
    in.byte();  // revision
    if (major != 1 || minor < 12 || minor > 16)
        throw not_understood("archive version " + std::to_string(major) + "." + std::to_string(minor));
    const int int_size = in.byte(), offset_size = in.byte();
    r.set_sizes(int_size, offset_size);
    if (in.byte() != archive_format_custom) throw not_understood("not the custom format");

    archive_toc toc;
    toc.version_minor = minor;
    toc.compressed = minor >= 15 ? in.byte() != 0 : r.integer() != 0;  // algorithm, or zlib level
    for (int i = 0; i < 7; ++i) r.integer();                           // creation time
    r.string();                                                         // database name
    r.string();                                                         // server version
    r.string();                                                         // pg_dump version

    const std::int64_t count = r.integer();
    if (count < 0) throw not_understood("a negative TOC size");
    for (std::int64_t i = 0; i < count; ++i) {
        archive_entry e;
        e.dump_id = static_cast<int>(r.integer());
        e.has_data = r.integer() != 0;
        r.string();  // table oid
        r.string();  // oid
        e.tag = r.string().value_or("");
        e.desc = r.string().value_or("");
        const auto section = r.integer();
        if (section < 1 || section > 4) throw not_understood("TOC section " + std::to_string(section));
        e.section = static_cast<archive_section>(section);
        r.string();  // definition
        r.string();  // drop statement
        r.string();  // COPY statement
        e.schema = r.string().value_or("");
        r.string();                      // tablespace
        if (minor >= 14) r.string();     // table access method
        if (minor >= 16) r.integer();    // relkind
        r.string();                      // owner
        r.string();                      // "with oids"
        while (const auto dependency = r.string()) {  // dump ids, up to a null string
            int id = 0;
            const auto* end = dependency->data() + dependency->size();
            if (std::from_chars(dependency->data(), end, id).ptr != end || dependency->empty())
                throw not_understood("a dependency \"" + *dependency + "\" that is not a dump id");
            e.dependencies.push_back(id);
        }
        r.offset();                      // where the data block is, when pg_dump could seek back
        toc.entries.push_back(std::move(e));
    }
    toc.end_offset = in.offset();
    return toc;
}

void read_chunks(byte_reader& in, field_reader& r, int dump_id, const archive_scan_events& events) {
    std::function<void(std::span<const std::byte>)> payload;
    if (events.data) payload = [&events, dump_id](std::span<const std::byte> piece) { events.data(dump_id, piece); };
    for (std::int64_t length; (length = r.integer()) != 0;) {
        if (length < 0) throw not_understood("a negative chunk length");
        in.take(static_cast<std::uint64_t>(length), payload);
    }
}

void read_blocks(byte_reader& in, field_reader& r, const archive_scan_events& events) {
    while (!in.at_end()) {
        archive_block block;
        block.begin = in.offset();
        const std::uint8_t type = in.byte();
        block.dump_id = static_cast<int>(r.integer());
        block.large_objects = type == block_large_objects;
        if (type != block_data && type != block_large_objects)
            throw not_understood("a data block of type " + std::to_string(type));
        if (events.block_start) events.block_start(block);
        if (type == block_data) {
            read_chunks(in, r, block.dump_id, events);
        } else {
            static const archive_scan_events no_data{};
            while (r.integer() != 0) read_chunks(in, r, block.dump_id, no_data);  // per large object: oid, chunks
        }
        block.end = in.offset();
        if (events.block) events.block(block);
    }
}

}  // namespace

std::string scan_custom_archive(const archive_source& source, const archive_sink& sink,
                                const archive_scan_events& events) {
    byte_reader in(source, sink);
    field_reader r(in);
    try {
        const archive_toc toc = read_header_and_toc(in, r);
        if (events.toc) events.toc(toc);
        read_blocks(in, r, events);
        return "";
    } catch (const not_understood& e) {
        const auto where = in.offset();
        in.drain();
        return std::string(e.what()) + " at byte " + std::to_string(where);
    }
}

}  // namespace holdfast::engines::postgresql
