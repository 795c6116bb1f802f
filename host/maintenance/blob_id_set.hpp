// A set of 32-byte blob ids, compact enough that prune can hold every used blob of a large
// repository: one open-addressing table of bare ids (32 bytes a slot, no per-entry
// allocation, no pointers) at a load factor of at most 3/4. Sized once from the index's
// blob count, a million blobs take about 43 MB; a std::unordered_set of ids would take
// three times that.
#pragma once

#include "repository/object_id.hpp"

#include <cstddef>
#include <vector>

namespace holdfast::maintenance {

class blob_id_set {
public:
    blob_id_set() = default;
    // Room for `expected` ids without rehashing.
    explicit blob_id_set(std::size_t expected) { reserve(expected); }

    void reserve(std::size_t expected);

    // True when the id was not in the set yet.
    bool insert(const repository::object_id& id);
    bool contains(const repository::object_id& id) const noexcept;

    std::size_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }
    // The table's size in bytes, for reports and tests of the memory claim.
    std::size_t memory_bytes() const noexcept { return slots_.capacity() * sizeof(repository::object_id); }

private:
    std::size_t home(const repository::object_id& id) const noexcept;
    void rehash(std::size_t slot_count);

    // An all-zero id marks an empty slot; the (astronomically unlikely) zero id itself is
    // kept in a flag so that it still works.
    std::vector<repository::object_id> slots_;
    std::size_t count_ = 0;  // including the zero id
    bool has_zero_ = false;
};

}  // namespace holdfast::maintenance
