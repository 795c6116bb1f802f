#include "cli/repository_access.hpp"

#include "cli/password_prompt.hpp"
#include "config/load.hpp"
#include "config/secrets.hpp"
#include "config/settings.hpp"
#include "config/shell_command.hpp"
#include "core/error.hpp"
#include "repository/crypto.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/repository_config.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <variant>

namespace holdfast::cli {
namespace {

namespace fs = std::filesystem;

// Where the location was found, for messages ("--repo: ...").
struct located {
    std::string text;
    std::string origin;  // "--repo", "HOLDFAST_REPOSITORY" or "" (the configuration)
};

std::optional<std::string> environment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

located find_location(const po::variables_map& vm, const config::config& cfg) {
    if (vm.count("repo")) {
        auto text = vm["repo"].as<std::string>();
        if (text.empty()) throw usage_error("--repo needs a location (a directory or a URL)");
        return {std::move(text), "--repo"};
    }
    if (auto text = environment("HOLDFAST_REPOSITORY"); text && !text->empty()) return {*text, "HOLDFAST_REPOSITORY"};
    if (cfg.repository && !cfg.repository->location.empty()) return {cfg.repository->location, ""};
    throw usage_error(
        "no repository location: give --repo LOCATION, set HOLDFAST_REPOSITORY, or set repository.location in "
        "the configuration file");
}

const plugins::manifest& storage_plugin(const plugins::catalog& catalog, const std::string& scheme) {
    if (const auto* m = catalog.find_by_scheme(scheme, plugins::plugin_kind::storage)) return *m;
    throw plugin_unavailable("no storage plugin serves '" + scheme +
                             "' locations ('holdfast plugins' lists what is installed and enabled)");
}

// The plugin's settings. From the configuration when the location came from
// there (with its settings block); otherwise the location alone, as if it had
// been written in the configuration with no settings, so the same rules turn
// it into "path" or "url". A relative path is taken from the working directory.
config::resolved_settings storage_settings(const located& where, const config::config& cfg,
                                           const plugins::manifest& plugin) {
    if (where.origin.empty()) return config::resolve_repository_settings(*cfg.repository, plugin.settings_schema);
    config::repository_config given;
    given.location = where.text;
    if (config::scheme_of(where.text) == "file" && where.text.find("://") == std::string::npos)
        given.location = fs::absolute(where.text).lexically_normal().string();
    given.location_at.file = where.origin;
    given.settings.prefix = "repository.";
    return config::resolve_repository_settings(given, plugin.settings_schema);
}

bool schema_has(const plugins::manifest& plugin, const char* property) {
    const auto& schema = plugin.settings_schema;
    return schema.is_object() && schema.contains("properties") && schema["properties"].is_object() &&
           schema["properties"].contains(property);
}

// How the repository is named in messages and output: the directory for a
// local one, the URL (without a password in it) otherwise.
std::string display_location(const config::resolved_settings& settings, const located& where) {
    if (settings.values.contains("path") && settings.values["path"].is_string())
        return settings.values["path"].get<std::string>();
    return config::redact_location(where.text);
}

// `option` names the option the file came from, for messages.
std::string read_password_file(const std::string& file, const std::string& option) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0)
        throw usage_error(option + ": cannot read " + file + ": " + std::strerror(errno));
    if (!S_ISREG(info.st_mode) && !S_ISFIFO(info.st_mode))
        throw usage_error(option + ": " + file + " is not a regular file");
    if (S_ISREG(info.st_mode) && (info.st_mode & (S_IRGRP | S_IROTH)) != 0)
        spdlog::warn("{}: {} is readable by group or others; restrict it with chmod go-rwx", option, file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw usage_error(option + ": cannot read " + file + ": " + std::strerror(errno));
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string run_password_command(const std::string& command) {
    auto result = config::run_shell_command(command);
    if (auto* failure = std::get_if<config::command_failure>(&result))
        throw error("--password-command " + failure->reason);
    return std::get<std::string>(std::move(result));
}

// A file or command adds a newline; the password is the line before it.
std::string without_trailing_newline(std::string text) {
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

std::string not_empty(std::string password, const std::string& origin) {
    if (password.empty()) throw usage_error(origin + " gave an empty password");
    return password;
}

// Whether opening needs a password at all: not for an unencrypted repository,
// and not where there is none (repo::open then says so, before any prompt).
bool needs_password(client::storage_instance& storage, const std::string& location) {
    std::vector<std::byte> bytes;
    try {
        bytes = storage.get(std::string(repository::names::config));
    } catch (const client::plugin_error& e) {
        if (e.code() == HF_ERR_NOT_FOUND) return false;
        throw;
    }
    const auto cfg = repository::repository_config::parse(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), location);
    return cfg.parameters.encryption != repository::encryption_mode::none;
}

found_password find_password(const context&, const po::variables_map& vm, const config::config& cfg, bool confirm) {
    if (auto value = environment("HOLDFAST_PASSWORD"))
        return {not_empty(std::move(*value), "HOLDFAST_PASSWORD"), "HOLDFAST_PASSWORD"};
    const bool from_file = vm.count("password-file") > 0;
    const bool from_command = vm.count("password-command") > 0;
    if (from_file && from_command) throw usage_error("give --password-file or --password-command, not both");
    if (from_file)
        return {not_empty(without_trailing_newline(read_password_file(vm["password-file"].as<std::string>(), "--password-file")),
                          "--password-file"),
                "--password-file"};
    if (from_command)
        return {not_empty(without_trailing_newline(run_password_command(vm["password-command"].as<std::string>())),
                          "--password-command"),
                "--password-command"};
    if (auto value = config::repository_password(cfg))
        return {not_empty(std::move(*value), "repository." + cfg.repository->password->key),
                "repository." + cfg.repository->password->key + " in " + cfg.file.value_or("the configuration").string()};
    if (stdin_is_terminal())
        return {not_empty(prompt_password(confirm ? "Password for the new repository: " : "Repository password: ",
                                          confirm),
                          "the terminal"),
                "the terminal"};
    throw usage_error(
        "no repository password: set HOLDFAST_PASSWORD, give --password-file or --password-command, set "
        "repository.password_env/_file/_command in the configuration, or run on a terminal to be asked");
}

}  // namespace

void found_password::wipe() noexcept {
    repository::cleanse(std::as_writable_bytes(std::span(value)));
    value.clear();
}

void add_repository_options(po::options_description& desc) {
    desc.add_options()  //
        ("repo", po::value<std::string>()->value_name("LOCATION"),
         "the repository: a directory or URL (default: $HOLDFAST_REPOSITORY, then repository.location in the "
         "configuration)")  //
        ("password-file", po::value<std::string>()->value_name("FILE"),
         "read the repository password from FILE (one trailing newline is dropped)")  //
        ("password-command", po::value<std::string>()->value_name("CMD"),
         "run CMD with /bin/sh and use its standard output as the repository password");
}

repository_target repository_storage(const context& ctx, const po::variables_map& vm) {
    return repository_storage(ctx, vm, storage_use::open_existing);
}

repository_target repository_storage(const context& ctx, const po::variables_map& vm, storage_use use) {
    config::config cfg = config::load(ctx.global);
    const located where = find_location(vm, cfg);
    auto catalog = plugins::catalog::discover(plugins::search_path(ctx.global.plugin_path), cfg.plugins);
    const plugins::manifest& plugin = storage_plugin(catalog, config::scheme_of(where.text));

    config::resolved_settings settings = storage_settings(where, cfg, plugin);
    // Never from the configuration: a "create: true" left there must not make
    // every command conjure an empty repository directory out of a typo.
    if (schema_has(plugin, "create")) settings.values["create"] = use == storage_use::create;
    std::string location = display_location(settings, where);
    spdlog::debug("repository {} through storage plugin {}", location, plugin.name);

    std::shared_ptr<client::storage_instance> storage;
    try {
        storage = std::make_shared<client::storage_instance>(catalog.open_storage(plugin.name, settings.values.dump()));
    } catch (const client::plugin_error& e) {
        if (use == storage_use::open_existing && e.code() == HF_ERR_NOT_FOUND)
            throw repository::repository_error("no repository at " + location + "; create one with 'holdfast init'");
        throw;
    }
    return repository_target{std::move(catalog), std::move(cfg), std::move(location), std::move(storage)};
}

std::string repository_password(const context& ctx, const po::variables_map& vm, const config::config& cfg,
                                bool confirm) {
    return find_password(ctx, vm, cfg, confirm).value;
}

void add_new_password_option(po::options_description& desc) {
    desc.add_options()("new-password-file", po::value<std::string>()->value_name("FILE"),
                       "read the new password from FILE (one trailing newline is dropped; default: ask twice on "
                       "the terminal)");
}

std::string new_repository_password(const po::variables_map& vm) {
    if (vm.count("new-password-file"))
        return not_empty(
            without_trailing_newline(read_password_file(vm["new-password-file"].as<std::string>(), "--new-password-file")),
            "--new-password-file");
    if (stdin_is_terminal()) return not_empty(prompt_password("New password: ", true), "the terminal");
    throw usage_error("no new password: give --new-password-file FILE, or run on a terminal to be asked");
}

repository_session open_repository(const context& ctx, const po::variables_map& vm) {
    return open_repository(ctx, vm, index_use::load);
}

located_repository locate_repository(const context& ctx, const po::variables_map& vm) {
    located_repository out{repository_storage(ctx, vm, storage_use::open_existing), {}};
    if (needs_password(*out.target.storage, out.target.location))
        out.password = find_password(ctx, vm, out.target.config, false);
    return out;
}

repository::repo located_repository::unlock() {
    // The password is needed only here: a backup holding `located` for hours need not keep it.
    struct wipe_on_return {
        found_password& password;
        ~wipe_on_return() { password.wipe(); }
    } const wipe{password};
    try {
        return repository::repo::open(std::move(target.storage), target.location, password.value);
    } catch (const repository::wrong_password_error& e) {
        throw repository::wrong_password_error(std::string(e.what()) + " (the password came from " + password.origin +
                                               ")");
    }
}

repository_session open_repository(const context& ctx, const po::variables_map& vm, index_use index) {
    located_repository located = locate_repository(ctx, vm);
    repository::repo repo = located.unlock();
    if (index == index_use::load) repo.load_index();
    return repository_session{std::move(located.target.catalog), std::move(located.target.config), std::move(repo)};
}

}  // namespace holdfast::cli
