// `holdfast key list|add|remove|passwd`: the repository's passwords. Each key
// slot wraps the same master key, so these write or delete one keys/ object
// and never rewrite data. They take a shared lock like any other reader.
#include "cli/commands/commands.hpp"
#include "cli/kdf_option.hpp"
#include "cli/repository_access.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "repository/key_management.hpp"
#include "repository/repository_lock.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

std::string describe_kdf(const repository::scrypt_params& kdf) {
    return "scrypt N=" + std::to_string(kdf.n) + " r=" + std::to_string(kdf.r) + " p=" + std::to_string(kdf.p);
}

// An opened repository with the shared lock every key command holds while it works.
struct locked_session {
    repository_session session;
    repository::repository_lock lock;
};

locked_session open_locked(const context& ctx, const po::variables_map& vm, const char* command) {
    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, command);
    return {std::move(session), std::move(lock)};
}

int list(context& ctx, const po::variables_map& vm) {
    auto s = open_locked(ctx, vm, "holdfast key list");
    const auto slots = repository::list_key_slots(s.session.repo);
    const auto& current = s.session.repo.key_slot();
    if (ctx.global.json) {
        json doc = json::array();
        for (const auto& slot : slots)
            doc.push_back({{"id", slot.id.hex()},
                           {"current", current == slot.id},
                           {"created", slot.created},
                           {"host", slot.host},
                           {"user", slot.user},
                           {"kdf", {{"name", "scrypt"}, {"n", slot.kdf.n}, {"r", slot.kdf.r}, {"p", slot.kdf.p}}}});
        ctx.out << doc.dump(2) << '\n';
        return 0;
    }
    text_table table({"", "ID", "CREATED", "HOST", "USER", "KDF"});
    for (const auto& slot : slots)
        table.add({current == slot.id ? "*" : " ", slot.id.short_hex(), slot.created, slot.host, slot.user,
                   describe_kdf(slot.kdf)});
    table.print(ctx.out);
    ctx.out << "* the key the given password opened\n";
    return 0;
}

int add(context& ctx, const po::variables_map& vm) {
    const auto kdf = kdf_from(vm);
    auto s = open_locked(ctx, vm, "holdfast key add");
    const std::string password = new_repository_password(vm);
    const auto added = repository::add_key_slot(s.session.repo, password, kdf);
    if (ctx.global.json)
        ctx.out << json{{"added", added.hex()}}.dump(2) << '\n';
    else
        ctx.out << "added key " << added.short_hex() << "; no data was rewritten\n";
    return 0;
}

int passwd(context& ctx, const po::variables_map& vm) {
    const auto kdf = kdf_from(vm);
    auto s = open_locked(ctx, vm, "holdfast key passwd");
    const std::string password = new_repository_password(vm);
    const auto old = s.session.repo.key_slot();
    const auto added = repository::change_password(s.session.repo, password, kdf);
    if (ctx.global.json) {
        ctx.out << json{{"added", added.hex()}, {"removed", old ? json(old->hex()) : json(nullptr)}}.dump(2) << '\n';
        return 0;
    }
    ctx.out << "changed the password: key " << added.short_hex() << " replaces key "
            << (old ? old->short_hex() : std::string("-")) << "; no data was rewritten\n";
    return 0;
}

int remove(context& ctx, const po::variables_map& vm) {
    if (!vm.count("id")) throw usage_error("key remove needs the ID of the key to remove ('holdfast key list')");
    auto s = open_locked(ctx, vm, "holdfast key remove");
    const auto slot = repository::resolve_key_slot(s.session.repo, vm["id"].as<std::string>());
    repository::remove_key_slot(s.session.repo, slot, vm.count("force") > 0);
    if (ctx.global.json)
        ctx.out << json{{"removed", slot.hex()}}.dump(2) << '\n';
    else
        ctx.out << "removed key " << slot.short_hex() << '\n';
    return 0;
}

constexpr const char* key_details =
    "Every key slot wraps the repository's one master key under a different password: adding, removing or "
    "changing a password writes or deletes one small keys/ object and rewrites no data.";

// add and passwd take the same options: both make a key slot for a new password.
command new_key_command(std::string name, std::string summary, std::string usage, std::string details,
                        int (*run)(context&, const po::variables_map&)) {
    command c;
    c.name = std::move(name);
    c.summary = std::move(summary);
    c.usage = std::move(usage);
    c.details = std::string(key_details) + " " + details;
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        add_new_password_option(desc);
        add_kdf_option(desc);
    };
    c.run = run;
    return c;
}

}  // namespace

command key_list_command() {
    command c;
    c.name = "key list";
    c.summary = "List the repository's keys (passwords)";
    c.usage = "holdfast key list [--repo LOCATION] [--json]";
    c.details = std::string(key_details) + " The key the given password opened is marked with *.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
    };
    c.run = list;
    return c;
}

command key_add_command() {
    return new_key_command("key add", "Add a password that opens the repository",
                           "holdfast key add [--repo LOCATION] [--new-password-file FILE] [--kdf-n N] [--json]",
                           "The new password comes from --new-password-file, else is asked twice on the terminal.",
                           add);
}

command key_remove_command() {
    command c;
    c.name = "key remove";
    c.summary = "Remove a key (password) from the repository";
    c.usage = "holdfast key remove [--repo LOCATION] [--force] ID";
    c.details = std::string(key_details) +
                " ID is a full key id or a unique prefix. The last key is never removed; the key the given "
                "password opened only with --force.";
    c.define = [](po::options_description& desc, po::positional_options_description& positional) {
        add_repository_options(desc);
        desc.add_options()                                                          //
            ("id", po::value<std::string>()->value_name("ID"), "the key to remove")  //
            ("force", "allow removing the key the given password opened");
        positional.add("id", 1);
    };
    c.run = remove;
    return c;
}

command key_passwd_command() {
    return new_key_command("key passwd", "Change the password that opened the repository",
                           "holdfast key passwd [--repo LOCATION] [--new-password-file FILE] [--kdf-n N] [--json]",
                           "passwd adds a key for the new password (from --new-password-file, else asked twice on "
                           "the terminal), then removes the key the current one opened.",
                           passwd);
}

}  // namespace holdfast::cli
