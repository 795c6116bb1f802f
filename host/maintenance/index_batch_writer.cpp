#include "maintenance/index_batch_writer.hpp"

namespace holdfast::maintenance {

void index_batch_writer::add(repository::indexed_pack pack) {
    records_ += pack.records.size();
    batch_.push_back(std::move(pack));
    if (records_ >= limit_) write();
}

void index_batch_writer::finish() {
    if (!batch_.empty()) write();
}

void index_batch_writer::write() {
    written_.push_back(repository::write_index(storage_, seal_, batch_));
    batch_.clear();
    records_ = 0;
}

}  // namespace holdfast::maintenance
