// Plain-text tables for listings: a header row, columns padded to their widest
// cell, two spaces apart. The last column is not padded (no trailing blanks).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {

class text_table {
public:
    explicit text_table(std::vector<std::string> header);

    // A row with as many cells as the header; an empty cell shows as "-".
    void add(std::vector<std::string> row);
    bool empty() const noexcept { return rows_.size() == 1; }
    // Right-aligns column `index` (sizes, counts read better that way).
    text_table& align_right(std::size_t index);

    void print(std::ostream& out) const;

private:
    std::vector<std::vector<std::string>> rows_;
    std::vector<bool> right_;
};

}  // namespace holdfast::cli
