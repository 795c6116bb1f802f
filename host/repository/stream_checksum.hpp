// A stream's end-to-end checksum: of the plaintext bytes the engine wrote, computed as they
// arrive, independently of chunking. Restores and `holdfast dump` compare it after reading
// the whole stream back, so a fault in cutting, listing or reassembling chunks cannot go
// unnoticed. Tampering is not its concern: every blob is authenticated on its own (its id is
// a keyed hash; AES-GCM seals it).
//
// New snapshots record XXH3-128. Snapshots of holdfast 0.1.0 record SHA-256, which cost 0.7 s
// of one core per GiB on the backup's serial path (docs/benchmarks.md); both are checked.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct XXH3_state_s;

namespace holdfast::repository {

class sha256;

enum class checksum_algorithm { xxh3_128, sha256 };

struct stream_checksum {
    checksum_algorithm algorithm = checksum_algorithm::xxh3_128;
    std::string hex;  // lowercase; XXH3-128 in its canonical (big-endian) form, as `xxhsum -H2` prints

    // The name it goes by in snapshot documents and JSON output: "xxh3_128" or "sha256".
    std::string_view key() const noexcept { return key_of(algorithm); }
    static std::string_view key_of(checksum_algorithm algorithm) noexcept;
    // Whether `hex` has the algorithm's length and only lowercase hex digits.
    bool well_formed() const noexcept;

    friend bool operator==(const stream_checksum&, const stream_checksum&) = default;
};

// Computes a stream_checksum incrementally. Not thread-safe.
class stream_hasher {
public:
    explicit stream_hasher(checksum_algorithm algorithm = checksum_algorithm::xxh3_128);
    stream_hasher(stream_hasher&&) noexcept;
    stream_hasher& operator=(stream_hasher&&) noexcept;
    ~stream_hasher();

    void update(std::span<const std::byte> data);
    // The checksum of everything updated so far; starts over.
    stream_checksum finish();

    // The checksum of `data` on its own.
    static stream_checksum of(std::span<const std::byte> data,
                              checksum_algorithm algorithm = checksum_algorithm::xxh3_128);

private:
    struct xxh3_free {
        void operator()(XXH3_state_s* state) const noexcept;
    };
    checksum_algorithm algorithm_;
    std::unique_ptr<XXH3_state_s, xxh3_free> xxh3_;
    std::unique_ptr<sha256> sha256_;
};

}  // namespace holdfast::repository
