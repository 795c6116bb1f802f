#include "cli/text_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace holdfast::cli {

text_table::text_table(std::vector<std::string> header) : right_(header.size(), false) {
    rows_.push_back(std::move(header));
}

text_table& text_table::align_right(std::size_t index) {
    right_.at(index) = true;
    return *this;
}

void text_table::add(std::vector<std::string> row) {
    if (row.size() != rows_.front().size()) throw std::logic_error("text_table: row and header differ in size");
    for (auto& cell : row)
        if (cell.empty()) cell = "-";
    rows_.push_back(std::move(row));
}

void text_table::print(std::ostream& out) const {
    const std::size_t columns = rows_.front().size();
    std::vector<std::size_t> width(columns, 0);
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < columns; ++i) width[i] = std::max(width[i], row[i].size());
    for (const auto& row : rows_) {
        std::string line;
        for (std::size_t i = 0; i < columns; ++i) {
            const std::size_t pad = width[i] - row[i].size();
            const bool last = i + 1 == columns;
            if (right_[i]) line.append(pad, ' ');
            line += row[i];
            if (!right_[i] && !last) line.append(pad, ' ');
            if (!last) line += "  ";
        }
        out << line << '\n';
    }
}

}  // namespace holdfast::cli
