#include "config/load.hpp"

#include "config/locate.hpp"
#include "config/yaml_nodes.hpp"
#include "core/suggest.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace holdfast::config {
namespace {

// The secret forms of the repository password, in the order messages list them.
constexpr std::array<std::pair<std::string_view, secret_source::kind>, 4> password_keys{{
    {"password", secret_source::kind::literal},
    {"password_env", secret_source::kind::env},
    {"password_file", secret_source::kind::file},
    {"password_command", secret_source::kind::command},
}};

bool valid_source_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
               c == '-';
    });
}

class loader {
public:
    loader(const std::filesystem::path& file, problem_list& problems)
        : file_(file.string()), problems_(problems) {}

    config load(std::string_view text) {
        config result;
        result.file = file_;
        std::vector<YAML::Node> documents;
        try {
            documents = YAML::LoadAll(std::string(text));
        } catch (const YAML::ParserException& e) {
            problems_.error(at(file_, e.mark), "invalid YAML: " + e.msg);
            return result;
        }
        if (documents.size() > 1)
            problems_.error(at(file_, documents[1].Mark()),
                            "a second YAML document: the configuration is one document (remove the \"---\")");
        if (documents.empty() || documents[0].IsNull()) return result;  // an empty file is an empty configuration
        const YAML::Node& root = documents[0];
        if (!root.IsMap()) {
            problems_.error(at(file_, root.Mark()),
                            "the configuration must be a mapping of sections (repository, sources, plugins), not " +
                                describe(root));
            return result;
        }
        for (const auto& entry : entries_of(root, file_, "", problems_)) {
            if (entry.key == "repository") result.repository = repository(entry);
            else if (entry.key == "sources") result.sources = sources(entry);
            else if (entry.key == "plugins") plugins(entry, result);
            else unknown_key(entry, "", "top-level key", {"repository", "sources", "plugins"});
        }
        return result;
    }

private:
    void unknown_key(const yaml_entry& entry, const std::string& prefix, std::string_view what,
                     const std::vector<std::string>& known) {
        std::string message = prefix + entry.key + ": unknown " + std::string(what);
        if (auto match = closest_match(entry.key, known)) {
            message += "; did you mean " + quote(*match) + "?";
        } else {
            message += " (expected ";
            for (std::size_t i = 0; i < known.size(); ++i) message += (i == 0 ? "" : ", ") + known[i];
            message += ")";
        }
        problems_.error(at(file_, entry.key_node.Mark()), message);
    }

    // A section's value must be a mapping; null reads as an empty one.
    bool expect_mapping(const yaml_entry& entry, const std::string& label) {
        if (entry.value.IsMap() || entry.value.IsNull()) return true;
        problems_.error(value_position(entry, file_), label + ": expected a mapping, got " + describe(entry.value));
        return false;
    }

    std::optional<std::string> text(const yaml_entry& entry, const std::string& label) {
        auto value = scalar_text(entry.value, value_position(entry, file_), label, problems_);
        if (value && value->empty()) {
            problems_.error(value_position(entry, file_), label + ": must not be empty");
            return std::nullopt;
        }
        return value;
    }

    settings_block settings(const std::string& prefix, position owner, const yaml_entry* entry) {
        settings_block block{prefix, YAML::Node(), std::move(owner)};
        if (entry != nullptr && expect_mapping(*entry, prefix + "settings")) block.node = entry->value;
        return block;
    }

    std::optional<repository_config> repository(const yaml_entry& section) {
        if (!expect_mapping(section, "repository")) return std::nullopt;
        repository_config repo;
        const position owner = at(file_, section.key_node.Mark());
        const auto entries = entries_of(section.value, file_, "repository.", problems_);
        if (const auto* location = find(entries, "location")) {
            repo.location = text(*location, "repository.location").value_or("");
            repo.location_at = value_position(*location, file_);
        } else {
            problems_.error(owner, "repository: missing required key \"location\"");
        }
        for (const auto& entry : entries) {
            auto password = std::find_if(password_keys.begin(), password_keys.end(),
                                         [&](const auto& k) { return k.first == entry.key; });
            if (entry.key == "location" || entry.key == "settings") continue;
            if (password == password_keys.end()) {
                unknown_key(entry, "repository.", "key",
                            {"location", "password", "password_env", "password_file", "password_command", "settings"});
            } else if (repo.password) {
                problems_.error(at(file_, entry.key_node.Mark()),
                                "repository." + entry.key +
                                    ": give only one of password, password_env, password_file, password_command");
            } else if (auto value = text(entry, "repository." + entry.key)) {
                repo.password = secret_source{password->second, entry.key, *value, value_position(entry, file_)};
            }
        }
        repo.settings = settings("repository.", owner, find(entries, "settings"));
        return repo;
    }

    std::vector<source_config> sources(const yaml_entry& section) {
        std::vector<source_config> result;
        if (section.value.IsNull()) return result;
        if (!section.value.IsSequence()) {
            problems_.error(value_position(section, file_),
                            "sources: expected a list of sources, got " + describe(section.value));
            return result;
        }
        std::map<std::string, int, std::less<>> first_line;  // of each source name, for duplicates
        for (std::size_t i = 0; i < section.value.size(); ++i) {
            const YAML::Node item = section.value[i];
            std::string label = "sources[" + std::to_string(i) + "]";
            const position owner = at(file_, item.Mark());
            if (!item.IsMap()) {
                problems_.error(owner, label + ": expected a mapping with name, engine and settings, got " +
                                           describe(item));
                continue;
            }
            const auto entries = entries_of(item, file_, label + " ", problems_);
            source_config source;
            bool usable = false;
            if (const auto* name = find(entries, "name")) {
                auto value = text(*name, label + " name");
                if (value && !valid_source_name(*value)) {
                    problems_.error(value_position(*name, file_),
                                    label + " name: " + quote(*value) +
                                        " is not a valid source name (letters, digits, '_', '.' and '-' only)");
                } else if (value) {
                    source.name = *value;
                    label += " " + quote(source.name);
                    auto [first, inserted] = first_line.try_emplace(source.name, owner.line);
                    usable = inserted;
                    if (!inserted)
                        problems_.error(value_position(*name, file_),
                                        label + " name: duplicate source name (first given on line " +
                                            std::to_string(first->second) + ")");
                }
            } else {
                problems_.error(owner, label + ": missing required key \"name\"");
            }
            if (const auto* engine = find(entries, "engine")) {
                source.engine = text(*engine, label + " engine").value_or("");
                source.engine_at = value_position(*engine, file_);
            } else {
                problems_.error(owner, label + ": missing required key \"engine\"");
            }
            for (const auto& entry : entries)
                if (entry.key != "name" && entry.key != "engine" && entry.key != "settings")
                    unknown_key(entry, label + " ", "key", {"name", "engine", "settings"});
            source.settings = settings(label + " ", owner, find(entries, "settings"));
            // Problems with the name are reported above; only named, unique sources are kept.
            if (usable) result.push_back(std::move(source));
        }
        return result;
    }

    static const yaml_entry* find(const std::vector<yaml_entry>& entries, std::string_view key) {
        auto it = std::find_if(entries.begin(), entries.end(), [&](const yaml_entry& e) { return e.key == key; });
        return it == entries.end() ? nullptr : &*it;
    }

    void plugins(const yaml_entry& section, config& result) {
        if (!expect_mapping(section, "plugins")) return;
        for (const auto& entry : entries_of(section.value, file_, "plugins.", problems_)) {
            if (entry.key == "enable") names(entry, result.plugins.enable, result.enable_at);
            else if (entry.key == "disable") names(entry, result.plugins.disable, result.disable_at);
            else unknown_key(entry, "plugins.", "key", {"enable", "disable"});
        }
        for (std::size_t i = 0; i < result.plugins.disable.size(); ++i) {
            const auto& name = result.plugins.disable[i];
            const auto& enable = result.plugins.enable;
            if (std::find(enable.begin(), enable.end(), name) != enable.end())
                problems_.error(result.disable_at[i], "plugins.disable[" + std::to_string(i) + "]: " + quote(name) +
                                                          " is also in plugins.enable");
        }
    }

    void names(const yaml_entry& entry, std::vector<std::string>& out, std::vector<position>& where) {
        const std::string label = "plugins." + entry.key;
        if (entry.value.IsNull()) return;
        if (!entry.value.IsSequence()) {
            problems_.error(value_position(entry, file_),
                            label + ": expected a list of plugin names, got " + describe(entry.value));
            return;
        }
        for (std::size_t i = 0; i < entry.value.size(); ++i) {
            const YAML::Node item = entry.value[i];
            const position item_at = at(file_, item.Mark());
            auto name = scalar_text(item, item_at, label + "[" + std::to_string(i) + "]", problems_);
            if (!name) continue;
            out.push_back(std::move(*name));
            where.push_back(item_at);
        }
    }

    std::string file_;
    problem_list& problems_;
};

}  // namespace

config parse(std::string_view text, const std::filesystem::path& file, problem_list& problems) {
    return loader(file, problems).load(text);
}

config read(const std::filesystem::path& file, problem_list& problems) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        problems.error({file.string(), 0, 0}, "cannot read the configuration file: it is a directory");
        config empty;
        empty.file = file;
        return empty;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) {
        // errno is set by the failed open/read on the platforms we build for.
        problems.error({file.string(), 0, 0}, std::string("cannot read the configuration file: ") + std::strerror(errno));
        config empty;
        empty.file = file;
        return empty;
    }
    return parse(text.str(), file, problems);
}

config load(const cli::global_options& options) {
    auto file = locate(options);
    if (!file) {
        spdlog::debug("no configuration file found; using an empty configuration");
        return {};
    }
    spdlog::debug("configuration file: {}", file->string());
    problem_list problems;
    config result = read(*file, problems);
    problems.throw_if_errors();
    problems.log_warnings();
    return result;
}

}  // namespace holdfast::config
