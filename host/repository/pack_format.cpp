#include "repository/pack_format.hpp"

#include "repository/errors.hpp"

namespace holdfast::repository {

std::string_view to_string(blob_type type) {
    switch (type) {
        case blob_type::list: return "list";
        case blob_type::sketch: return "sketch";
        default: return "data";
    }
}

void put_u32(std::vector<std::byte>& out, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
}

std::uint32_t get_u32(std::span<const std::byte> bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i)
        value |= std::to_integer<std::uint32_t>(bytes[at + i]) << (8 * i);
    return value;
}

void append_record(std::vector<std::byte>& out, const blob_record& record) {
    out.push_back(static_cast<std::byte>(record.type));
    out.push_back(static_cast<std::byte>(record.compression));
    out.push_back(std::byte{0});
    out.push_back(std::byte{0});
    put_u32(out, record.offset);
    put_u32(out, record.stored_length);
    put_u32(out, record.plain_length);
    out.insert(out.end(), record.id.bytes().begin(), record.id.bytes().end());
}

blob_record parse_record(std::span<const std::byte, blob_record_size> bytes,
                         std::string_view object) {
    const auto damaged = [&](const std::string& why) {
        return corruption_error(std::string(object) + " is corrupt: " + why +
                                "; run 'holdfast check'");
    };
    blob_record record;
    const auto type = std::to_integer<std::uint8_t>(bytes[0]);
    const auto compression = std::to_integer<std::uint8_t>(bytes[1]);
    if (type < 1 || type > 3) throw damaged("blob record with unknown type " + std::to_string(type));
    if (compression > 2)
        throw damaged("blob record with unknown compression " + std::to_string(compression));
    if (bytes[2] != std::byte{0} || bytes[3] != std::byte{0})
        throw damaged("blob record with non-zero reserved bytes");
    record.type = static_cast<blob_type>(type);
    record.compression = static_cast<blob_encoding>(compression);
    record.offset = get_u32(bytes, 4);
    record.stored_length = get_u32(bytes, 8);
    record.plain_length = get_u32(bytes, 12);
    record.id = object_id(bytes.subspan<16, 32>());
    return record;
}

std::vector<blob_record> parse_records(std::span<const std::byte> bytes, std::uint64_t data_size,
                                       std::string_view object) {
    if (bytes.size() % blob_record_size != 0)
        throw corruption_error(std::string(object) + " is corrupt: " +
                               std::to_string(bytes.size()) +
                               " bytes of blob records is not a multiple of 48; run 'holdfast check'");
    std::vector<blob_record> records;
    records.reserve(bytes.size() / blob_record_size);
    for (std::size_t at = 0; at < bytes.size(); at += blob_record_size) {
        const auto record =
            parse_record(bytes.subspan(at).first<blob_record_size>(), object);
        if (std::uint64_t{record.offset} + record.stored_length > data_size)
            throw corruption_error(std::string(object) + " is corrupt: blob " + record.id.hex() +
                                   " lies outside the pack's data; run 'holdfast check'");
        records.push_back(record);
    }
    return records;
}

}  // namespace holdfast::repository
